import type { SegmentRule, SegmentRules } from '../../shared/segments';

/** A condition over `contacts c` with its named parameters (`@sg0`, `@sg1`…, apart from any other query's). */
export type SqlPart = { sql: string; params: Record<string, unknown> };

const DAY_MS = 86_400_000;

/**
 * A segment's rules as one SQL condition over `contacts c`, judged at `now`. Each rule that looks elsewhere is an
 * `IN (subquery)` SQLite builds once per query rather than a probe per contact: on a million contacts the count is
 * one pass over the table (bench: `npm run bench -- segments`). `prefix` keeps two segments' parameters apart.
 */
export function segmentWhere(segment: SegmentRules, now: number, prefix = 'sg'): SqlPart {
  const params: Record<string, unknown> = {};
  let next = 0;
  const param = (value: unknown) => {
    const name = `${prefix}${next++}`;
    params[name] = value;
    return `@${name}`;
  };
  const parts = segment.rules.map((rule) => ruleWhere(rule, now, param));
  return { sql: `(${parts.map((p) => `(${p})`).join(segment.match === 'all' ? ' AND ' : ' OR ')})`, params };
}

type Param = (value: unknown) => string;

function ruleWhere(rule: SegmentRule, now: number, p: Param): string {
  switch (rule.kind) {
    case 'field':
      return fieldWhere(rule.field, rule.op, rule.value ?? '', p);
    case 'tag':
      return `c.id ${rule.has ? '' : 'NOT '}IN (SELECT contact_id FROM contact_tags WHERE tag_id = ${p(rule.tagId)})`;
    case 'list':
      return `c.id ${rule.member ? '' : 'NOT '}IN (SELECT contact_id FROM list_members WHERE list_id = ${p(rule.listId)})`;
    case 'consent':
      return rule.value === 'unknown' ? 'c.consent IS NULL' : `c.consent = ${p(rule.value)}`;
    case 'replied': {
      // A reply that was an opt-out is no engagement: "respondió" means they wrote back something else.
      const campaign = rule.campaignId === null ? '' : ` AND campaign_id = ${p(rule.campaignId)}`;
      const since = rule.withinDays === null ? '' : ` AND at >= ${p(now - rule.withinDays * DAY_MS)}`;
      return `c.phone IN (SELECT phone FROM incoming WHERE phone IS NOT NULL AND opt_out = 0${campaign}${since})`;
    }
    case 'read_no_reply': {
      // Read a campaign's message at least `days` ago, and wrote nothing since it was sent.
      const campaign = rule.campaignId === null ? "s.campaign_id IN (SELECT id FROM campaigns WHERE kind = 'campaign')" : `s.campaign_id = ${p(rule.campaignId)}`;
      return `c.phone IN (SELECT s.phone FROM sends s WHERE ${campaign} AND s.read_at IS NOT NULL AND s.read_at <= ${p(now - rule.days * DAY_MS)}
                 AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.phone = s.phone AND i.at >= s.sent_at))`;
    }
    case 'never_wrote':
      return 'c.phone NOT IN (SELECT phone FROM incoming WHERE phone IS NOT NULL)';
    case 'not_messaged':
      return `c.phone NOT IN (SELECT phone FROM sends WHERE sent_at >= ${p(now - rule.days * DAY_MS)})`;
    case 'added':
      return `c.created_at >= ${p(now - rule.withinDays * DAY_MS)}`;
  }
}

/** A custom field compared as people read it: spaces around ignored, capitals too (ASCII; "León" ≠ "LEÓN"). */
function fieldWhere(field: string, op: 'is' | 'is_not' | 'contains' | 'empty' | 'not_empty', value: string, p: Param): string {
  const cell = `TRIM(COALESCE(json_extract(c.fields, ${p(`$."${field.replace(/"/g, '')}"`)}), ''))`;
  switch (op) {
    case 'is':
      return `${cell} = ${p(value.trim())} COLLATE NOCASE`;
    case 'is_not':
      return `${cell} != ${p(value.trim())} COLLATE NOCASE`;
    case 'contains':
      return `instr(lower(${cell}), lower(${p(value.trim())})) > 0`;
    case 'empty':
      return `${cell} = ''`;
    case 'not_empty':
      return `${cell} != ''`;
  }
}
