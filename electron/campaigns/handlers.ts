import type { HandlerGroup } from '../core/dispatcher';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import type { SessionManager } from '../whatsapp';
import { countWithoutConsent, type CampaignsRepo } from './campaigns-repo';
import { awaitsChoice } from './ab-versions';
import type { RecurringRuns } from './recurring';
import type { EventBus } from '../core/event-bus';
import { parseTemplate } from '../messages';
import type { CampaignEngine } from './engine';
import { estimateCampaign, type CloudEstimate } from './estimate';
import type { CampaignInput } from '../../shared/campaigns';
import type { CloudPrices } from '../../shared/cloud';
import { prepareCloudCampaign } from '../cloud/cloud-campaigns';
import type { CloudNumbersRepo } from '../cloud/cloud-numbers-repo';
import type { Segment } from '../../shared/segments';
import type { Audience } from './audience';

export function campaignsHandlers(deps: {
  db: Db;
  repo: CampaignsRepo;
  engine: CampaignEngine;
  sessions: SessionManager;
  now: () => number;
  userZone: () => string;
  cloud: CloudNumbersRepo;
  prices: () => CloudPrices;
  /** A saved segment as it is now (null: deleted). */
  segment: (id: number) => Segment | null;
  /** A follow-up's name in the user's language ("Promo · seguimiento"). */
  followUpName: (name: string) => string;
  recurring: RecurringRuns;
  bus: EventBus;
}) {
  const { repo, engine } = deps;
  // A campaign on Cloud numbers is checked and completed (its template's text, the Cloud pace) before anything else.
  const kinds = () => new Map(deps.sessions.list().map((n) => [n.id, n.kind]));
  const prepared = (input: CampaignInput) => {
    const known = kinds();
    return prepareCloudCampaign(input, { repo: deps.cloud, kindOf: (id) => known.get(id) });
  };
  const cloudEstimate = (input: CampaignInput): CloudEstimate | null => {
    if (!input.settings.cloud) return null;
    const template = deps.cloud.template(input.settings.cloud.templateId);
    const category = template?.category ?? 'MARKETING';
    return { dailyLimit: deps.cloud.dailyLimitOf(input.numberIds), category, prices: deps.prices() };
  };
  /** The segments an input names, as they are now: one that is gone is refused before anything is written. */
  const segmentsOf = (input: CampaignInput): Segment[] =>
    (input.segmentIds ?? []).map((id) => {
      const segment = deps.segment(id);
      if (!segment) throw new AppError('not_found', `no segment ${id}`, 'segmentIds');
      return segment;
    });
  const audienceOf = (input: CampaignInput): Audience => {
    if (input.includeListIds.length === 0 && (input.segmentIds ?? []).length === 0) throw new AppError('invalid_input', 'a campaign needs a list or a segment', 'includeListIds');
    return { include: input.includeListIds, exclude: input.excludeListIds, segments: segmentsOf(input) };
  };
  const connected = (id: string) => deps.sessions.connected(id) !== undefined;
  /** Whether the campaign's scheduled start is still ahead. */
  const waitsForStart = (id: number) => {
    const { startAt } = repo.settings(id);
    return startAt !== null && startAt > deps.now();
  };
  const changed = (id: number, reconcile = false) => {
    engine.markDirty(id);
    engine.wakeAll({ reconcile });
    return repo.view(id);
  };
  return {
    'campaigns.list': () => repo.list(),
    'campaigns.get': ({ id }) => repo.view(id),
    'campaigns.progress': ({ id }) => engine.progress(id),
    'campaigns.estimate': (raw) => {
      const input = prepared(raw);
      return estimateCampaign(deps.db, repo.outbox, input, audienceOf(input), deps.now(), deps.userZone(), cloudEstimate(input));
    },
    'campaigns.create': (input) => {
      const known = new Set(deps.sessions.list().map((n) => n.id));
      const unknown = input.numberIds.find((n) => !known.has(n));
      if (unknown) throw new AppError('not_found', `no number ${unknown}`, 'numberIds');
      const listExists = deps.db.prepare('SELECT 1 FROM lists WHERE id = ?').pluck();
      for (const field of ['includeListIds', 'excludeListIds'] as const) {
        const missing = input[field].find((list) => listExists.get(list) === undefined);
        if (missing !== undefined) throw new AppError('not_found', `no list ${missing}`, field);
      }
      audienceOf(input); // a list or a segment, every segment there
      return repo.view(repo.create(prepared(input), segmentsOf(input)));
    },
    'campaigns.launch': async ({ id, confirmNoConsent }) => {
      const row = repo.row(id);
      if (row.state !== 'draft') throw new AppError('illegal_transition', `a ${row.state} campaign cannot be launched`, 'state');
      repo.freezeSegments(id, deps.segment);
      // Writing to people with no recorded agreement is the user's conscious choice, refused before anything is written.
      const withoutConsent = repo.withoutConsent(id);
      if (withoutConsent > 0 && confirmNoConsent !== true) throw new AppError('needs_confirmation', `${withoutConsent} contacts have no recorded consent`, 'confirmNoConsent');
      await repo.fillOutbox(id);
      // An A/B test with a small test share may have no one in it yet: its rest is written to after the choice.
      if (repo.remaining(id) === 0 && !awaitsChoice(repo.settings(id).abTest)) throw new AppError('nothing_to_send', 'every contact would be skipped', 'id');
      // Kept with the campaign: its report says the user confirmed it, not only "no agreement" (#30 item 8).
      if (withoutConsent > 0) deps.db.prepare("UPDATE campaigns SET settings = json_set(settings, '$.consentConfirmed', json('true')) WHERE id = ?").run(id);
      repo.transition(id, waitsForStart(id) ? 'scheduled' : 'running');
      // Its follow-up, if it has one: a campaign of its own from now, filled when due.
      const followUp = repo.createFollowUp(id, deps.followUpName(row.name));
      if (followUp !== null) engine.markDirty(followUp);
      return changed(id);
    },
    'campaigns.pause': ({ id }) => {
      repo.transition(id, 'paused', { reason: 'user' });
      return changed(id);
    },
    'campaigns.resume': ({ id, confirm }) => {
      const row = repo.row(id);
      // Only a pause can be resumed: a draft is launched (that fills its outbox), a scheduled one waits for its start.
      if (row.state !== 'paused') throw new AppError('illegal_transition', `a ${row.state} campaign cannot be resumed`, 'state');
      if (row.needs_confirmation === 1 && confirm !== true) throw new AppError('needs_confirmation', `paused by ${row.pause_reason}: confirm to resume`, 'confirm');
      if (repo.restoreNumbers(id, connected) === 0) throw new AppError('no_numbers', 'no connected number left for this campaign', 'id');
      // Going on after a brake: what tripped it is behind; the brake judges what is sent from now on.
      if (row.needs_confirmation === 1) deps.db.prepare('UPDATE campaigns SET brake_since = ? WHERE id = ?').run(deps.now(), id);
      repo.transition(id, row.started_at === null && waitsForStart(id) ? 'scheduled' : 'running');
      return changed(id, true);
    },
    'campaigns.settleDoubt': ({ id, sendId, received }) => {
      const campaign = repo.row(id);
      const send = deps.db.prepare('SELECT state FROM sends WHERE id = ? AND campaign_id = ?').pluck().get(sendId, id) as string | undefined;
      if (send === undefined) throw new AppError('not_found', `no send ${sendId} in campaign ${id}`, 'sendId');
      const over = campaign.state === 'completed' || campaign.state === 'cancelled';
      const state = repo.outbox.settleDoubt(sendId, received, over);
      if (!state) throw new AppError('illegal_transition', `send ${sendId} is ${send}, not in doubt`, 'sendId');
      changed(id);
      return { state };
    },
    'recurring.list': () => deps.recurring.list(),
    'recurring.create': ({ input, every, capDays, confirmNoConsent }) => {
      // Checked as a campaign would be now (numbers, lists, segments, the message), before the plan is kept.
      const known = new Set(deps.sessions.list().map((n) => n.id));
      const unknown = input.numberIds.find((n) => !known.has(n));
      if (unknown) throw new AppError('not_found', `no number ${unknown}`, 'input.numberIds');
      const audience = audienceOf(input);
      const withoutConsent = countWithoutConsent(deps.db, audience, deps.now());
      if (withoutConsent > 0 && confirmNoConsent !== true) throw new AppError('needs_confirmation', `${withoutConsent} contacts have no recorded consent`, 'confirmNoConsent');
      const ready = prepared(input);
      const check = parseTemplate(ready.body).errors;
      if (check.length > 0) throw new AppError('template_invalid', check.map((e) => e.code).join(', '), 'input.body');
      const plan = deps.recurring.create({ input: ready, every, capDays, confirmNoConsent });
      deps.bus.emit('recurring.changed', {});
      void deps.recurring.due().then(() => deps.bus.emit('recurring.changed', {}), () => undefined);
      return plan;
    },
    'recurring.setActive': ({ id, active }) => {
      const plan = deps.recurring.setActive(id, active);
      deps.bus.emit('recurring.changed', {});
      return plan;
    },
    'recurring.delete': ({ id }) => {
      const gone = deps.recurring.delete(id);
      deps.bus.emit('recurring.changed', {});
      return gone;
    },
    'campaigns.cancel': ({ id }) => {
      repo.transition(id, 'cancelled');
      // Its follow-up not sent yet goes with it.
      for (const followUp of repo.followUpsOf(id)) {
        if (followUp.state === 'scheduled' || followUp.state === 'paused') {
          repo.transition(followUp.id, 'cancelled');
          engine.markDirty(followUp.id);
        }
      }
      return changed(id);
    },
  } satisfies HandlerGroup;
}
