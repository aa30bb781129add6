import { SegmentRulesSchema, type SegmentRules } from '../../shared/segments';
import { statement, type Db } from '../db';
import { segmentWhere } from '../segments/segment-sql';

/**
 * Whom a campaign writes to: the contacts of its lists and of its segments, minus those of its excluded lists; a
 * follow-up, those who read or replied to its first campaign (`engagedIn`).
 */
export type Audience = {
  include: number[];
  exclude: number[];
  segments: SegmentRules[];
  engagedIn?: { campaignId: number; who: 'read_or_replied' | 'replied' };
  /** A recurring campaign's run: its plan, and the start of its frequency cap (who got a run since is skipped). */
  cap?: { recurringId: number; since: number };
};

/** Who got a message from another run of the same plan within its frequency cap (`@capPlan`, `@capSince`). */
export const CAPPED_SQL = `c.phone IN (SELECT s.phone FROM sends s JOIN campaigns r ON r.id = s.campaign_id
  WHERE r.recurring_id = @capPlan AND s.sent_at >= @capSince)`;

/** A campaign's audience as saved with it (the segments' rules as copied at launch, or when it was drafted). */
export function audienceOf(db: Db, campaignId: number): Audience {
  const lists = statement(db, 'SELECT list_id, exclude FROM campaign_lists WHERE campaign_id = ?').all(campaignId) as { list_id: number; exclude: number }[];
  const segments = statement(db, 'SELECT rules FROM campaign_segments WHERE campaign_id = ? ORDER BY segment_id').pluck().all(campaignId) as string[];
  const campaign = statement(db, 'SELECT settings, recurring_id, created_at FROM campaigns WHERE id = ?').get(campaignId) as { settings: string; recurring_id: number | null; created_at: number };
  const settings = JSON.parse(campaign.settings) as { followUpOf?: Audience['engagedIn'] };
  const capDays = campaign.recurring_id === null ? undefined : (statement(db, 'SELECT cap_days FROM recurring WHERE id = ?').pluck().get(campaign.recurring_id) as number | undefined);
  return {
    include: lists.filter((l) => !l.exclude).map((l) => l.list_id),
    exclude: lists.filter((l) => l.exclude).map((l) => l.list_id),
    segments: segments.map((rules) => SegmentRulesSchema.parse(JSON.parse(rules))),
    ...(settings.followUpOf ? { engagedIn: { campaignId: settings.followUpOf.campaignId, who: settings.followUpOf.who } } : {}),
    ...(campaign.recurring_id !== null && capDays !== undefined ? { cap: { recurringId: campaign.recurring_id, since: campaign.created_at - capDays * 86_400_000 } } : {}),
  };
}

/** The audience as a condition over `contacts c` (named parameters), its segments judged at `now`. */
export function audienceWhere(audience: Audience, now: number): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const marks = (ids: number[], prefix: string) =>
    ids
      .map((id, i) => {
        params[`${prefix}${i}`] = id;
        return `@${prefix}${i}`;
      })
      .join(', ');
  const sources: string[] = [];
  if (audience.include.length) sources.push(`c.id IN (SELECT contact_id FROM list_members WHERE list_id IN (${marks(audience.include, 'inc')}))`);
  audience.segments.forEach((rules, i) => {
    const part = segmentWhere(rules, now, `seg${i}_`);
    Object.assign(params, part.params);
    sources.push(part.sql);
  });
  if (audience.engagedIn) {
    // A reply is engagement even when its read receipt never came (read receipts off); an opt-out is none.
    params.engagedIn = audience.engagedIn.campaignId;
    const replied = 'c.phone IN (SELECT phone FROM incoming WHERE campaign_id = @engagedIn AND opt_out = 0 AND phone IS NOT NULL)';
    sources.push(
      audience.engagedIn.who === 'replied'
        ? replied
        : `(c.id IN (SELECT contact_id FROM sends WHERE campaign_id = @engagedIn AND read_at IS NOT NULL) OR ${replied})`,
    );
  }
  const included = sources.length ? `(${sources.join(' OR ')})` : '0';
  const excluded = audience.exclude.length ? ` AND c.id NOT IN (SELECT contact_id FROM list_members WHERE list_id IN (${marks(audience.exclude, 'exc')}))` : '';
  return { sql: `${included}${excluded}`, params };
}
