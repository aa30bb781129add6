import type { Contact } from '../../shared/contacts';
import type { SegmentRules } from '../../shared/segments';
import type { HandlerGroup } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import { statement, type Db } from '../db';
import { AppError } from '../core/app-error';
import type { SegmentsRepo } from './segments-repo';
import type { TagsRepo } from './tags-repo';

/** How many of a segment's contacts its count shows beside the number. */
const SAMPLE = 10;

/** A campaign's contacts by what its message did for them, as its report groups them. */
const BY_OUTCOME: Record<'replied' | 'read' | 'delivered' | 'failed' | 'all', string> = {
  replied: 'AND s.phone IN (SELECT phone FROM incoming WHERE campaign_id = @campaignId AND opt_out = 0)',
  read: "AND (s.state = 'read' OR s.phone IN (SELECT phone FROM incoming WHERE campaign_id = @campaignId AND opt_out = 0))",
  delivered: "AND s.state IN ('delivered', 'read')",
  failed: "AND s.state = 'failed'",
  all: '',
};

export function segmentsHandlers(deps: {
  db: Db;
  tags: TagsRepo;
  segments: SegmentsRepo;
  bus: EventBus;
  /** The first contacts the rules take, as the contacts table shows them. */
  sample: (rules: SegmentRules, limit: number) => Promise<Contact[]> | Contact[];
}) {
  const { tags, segments, bus } = deps;
  const tagsChanged = <T>(value: T): T => {
    bus.emit('tags.changed', {});
    bus.emit('contacts.changed', { reason: 'lists' });
    return value;
  };
  const segmentsChanged = <T>(value: T): T => {
    bus.emit('segments.changed', {});
    return value;
  };
  return {
    'tags.list': () => tags.list(),
    'tags.create': ({ name }) => tagsChanged(tags.create(name)),
    'tags.rename': ({ id, name }) => tagsChanged(tags.rename(id, name)),
    'tags.delete': ({ id }) => tagsChanged(tags.delete(id)),
    'tags.addContacts': ({ tagId, contactIds, source }) => tagsChanged({ changed: tags.add(tagId, contactIds, source ?? 'manual') }),
    'tags.removeContacts': ({ tagId, contactIds }) => tagsChanged({ changed: tags.remove(tagId, contactIds) }),
    'tags.addFromCampaign': ({ tagId, campaignId, who }) => {
      tags.get(tagId);
      if (statement(deps.db, "SELECT 1 FROM campaigns WHERE id = ? AND kind = 'campaign'").get(campaignId) === undefined) throw new AppError('not_found', `no campaign ${campaignId}`, 'campaignId');
      const ids = deps.db.prepare(`SELECT s.contact_id FROM sends s WHERE s.campaign_id = @campaignId ${BY_OUTCOME[who]}`).pluck().all({ campaignId }) as number[];
      return tagsChanged({ matched: ids.length, changed: ids.length ? tags.add(tagId, ids, 'report') : 0 });
    },
    'segments.list': () => segments.list(),
    'segments.get': ({ id }) => segments.get(id),
    'segments.save': (input) => segmentsChanged(segments.save(input)),
    'segments.delete': ({ id }) => segmentsChanged(segments.delete(id)),
    'segments.count': async (rules) => {
      const counted = segments.count(rules);
      return { ...counted, sample: counted.total === 0 ? [] : await deps.sample(rules, SAMPLE) };
    },
  } satisfies HandlerGroup;
}
