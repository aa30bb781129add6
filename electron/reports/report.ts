import { sentCount, type CampaignView } from '../../shared/campaigns';
import type { Report, ReportRow } from '../../shared/reports';
import type { Db } from '../db';
import { versionStats, type CampaignsRepo } from '../campaigns';
import { DEFAULT_CLOUD_PRICES, type CloudPrices } from '../../shared/cloud';
import { campaignCost } from '../cloud/cloud-campaigns';

const BUCKETS = 48;

/** What a campaign achieved, from the outbox and the replies: the same numbers the live view counted. */
export function campaignReport(db: Db, campaigns: CampaignsRepo, id: number, prices: CloudPrices = DEFAULT_CLOUD_PRICES, now = Date.now()): Report {
  const view = campaigns.view(id);
  const template = view.settings.cloud ? (db.prepare('SELECT category FROM wa_templates WHERE id = ?').pluck().get(view.settings.cloud.templateId) as string | undefined) : undefined;
  const c = view.counts;
  const reasons = (state: string) =>
    Object.fromEntries(
      (db.prepare('SELECT COALESCE(reason, ?) AS reason, COUNT(*) AS n FROM sends WHERE campaign_id = ? AND state = ? GROUP BY 1').all('unknown', id, state) as { reason: string; n: number }[]).map((r) => [r.reason, r.n]),
    );
  const replied = db.prepare('SELECT COUNT(DISTINCT phone) FROM incoming WHERE campaign_id = ? AND opt_out = 0').pluck().get(id) as number;
  const optedOut = db
    .prepare("SELECT COUNT(*) FROM opt_outs o WHERE o.source = 'reply' AND o.created_at >= ? AND o.phone IN (SELECT phone FROM sends WHERE campaign_id = ?)")
    .pluck()
    .get(view.startedAt ?? view.createdAt, id) as number;
  const perNumber = (
    db
      .prepare(
        `SELECT s.number_id AS numberId, COALESCE(n.label, s.number_id) AS label,
                SUM(s.state IN ('sent', 'delivered', 'read')) AS sent, SUM(s.state IN ('delivered', 'read')) AS delivered,
                SUM(s.state = 'read') AS read, SUM(s.state = 'failed') AS failed
         FROM sends s LEFT JOIN numbers n ON n.id = s.number_id
         WHERE s.campaign_id = ? AND s.number_id IS NOT NULL GROUP BY s.number_id ORDER BY label`,
      )
      .all(id) as Report['perNumber']
  ).map((n) => ({ ...n, sent: Number(n.sent), delivered: Number(n.delivered), read: Number(n.read), failed: Number(n.failed) }));
  return {
    campaignId: id,
    name: view.name,
    state: view.state,
    targeted: view.total - c.skipped,
    sent: sentCount(c),
    delivered: c.delivered + c.read,
    read: c.read,
    failed: c.failed,
    skipped: c.skipped,
    inDoubt: c.in_doubt,
    queued: c.queued + c.sending,
    replied,
    optedOut,
    failedBy: reasons('failed'),
    skippedBy: reasons('skipped'),
    perNumber,
    consentConfirmed: view.settings.consentConfirmed === true,
    cost: view.settings.cloud ? campaignCost(db, id, template ?? 'MARKETING', prices) : null,
    timeline: timeline(db, id),
    ...abReport(db, id, view, now),
  };
}

/** An A/B test's versions with their rates, and the choice made for the rest of the audience with how sure it was. */
function abReport(db: Db, id: number, view: CampaignView, now: number): Pick<Report, 'versions' | 'abChoice'> {
  const ab = view.settings.abTest;
  if (!ab) return { versions: null, abChoice: null };
  const versions = versionStats(db, id, [view.body, ...ab.variants], now);
  const abChoice = ab.winner !== undefined && ab.decidedAt !== undefined ? { winner: ab.winner, confidence: ab.confidence ?? 0, metric: ab.metric, decidedAt: ab.decidedAt } : null;
  return { versions, abChoice };
}

/** Counts per time bucket from the first send to the last receipt: about 48 buckets of whole 10-second steps. */
function timeline(db: Db, id: number): Report['timeline'] {
  const span = db.prepare('SELECT MIN(sent_at) AS start, MAX(MAX(COALESCE(read_at, 0)), MAX(COALESCE(delivered_at, 0)), MAX(COALESCE(sent_at, 0))) AS stop FROM sends WHERE campaign_id = ?').get(id) as {
    start: number | null;
    stop: number | null;
  };
  if (span.start === null || span.stop === null) return { bucketMs: 10_000, start: 0, sent: [], delivered: [], read: [] };
  const bucketMs = Math.max(10_000, Math.ceil((span.stop - span.start + 1) / BUCKETS / 10_000) * 10_000);
  const size = Math.floor((span.stop - span.start) / bucketMs) + 1;
  const series = (column: 'sent_at' | 'delivered_at' | 'read_at') => {
    const counts: number[] = Array.from({ length: size }, () => 0);
    for (const row of db.prepare(`SELECT (${column} - ?) / ? AS b, COUNT(*) AS n FROM sends WHERE campaign_id = ? AND ${column} IS NOT NULL GROUP BY 1`).all(span.start, bucketMs, id) as { b: number; n: number }[]) {
      const index = Math.floor(row.b);
      if (index >= 0 && index < size) counts[index] = (counts[index] ?? 0) + row.n;
    }
    return counts;
  };
  return { bucketMs, start: span.start, sent: series('sent_at'), delivered: series('delivered_at'), read: series('read_at') };
}

type DbRow = { id: number; name: string | null; phone: string; state: ReportRow['state']; reason: string | null; label: string | null; sent_at: number | null; delivered_at: number | null; read_at: number | null; replied: number; opted_out: number; consent: 'yes' | 'no' | null };

/** One page of the per-contact table, by state. */
export function reportRows(db: Db, id: number, state: ReportRow['state'] | null, offset: number, limit: number): { total: number; rows: ReportRow[] } {
  const filter = state ? 'AND s.state = @state' : '';
  const total = db.prepare(`SELECT COUNT(*) FROM sends s WHERE s.campaign_id = @id ${filter}`).pluck().get({ id, state }) as number;
  const rows = db
    .prepare(
      `SELECT s.id, s.name, s.phone, s.state, s.reason, n.label, s.sent_at, s.delivered_at, s.read_at,
              EXISTS (SELECT 1 FROM incoming i WHERE i.campaign_id = s.campaign_id AND i.phone = s.phone) AS replied,
              EXISTS (SELECT 1 FROM incoming i WHERE i.campaign_id = s.campaign_id AND i.phone = s.phone AND i.opt_out = 1) AS opted_out,
              c.consent
       FROM sends s LEFT JOIN numbers n ON n.id = s.number_id LEFT JOIN contacts c ON c.id = s.contact_id WHERE s.campaign_id = @id ${filter} ORDER BY s.id LIMIT @limit OFFSET @offset`,
    )
    .all({ id, state, limit, offset }) as DbRow[];
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      phone: r.phone,
      state: r.state,
      reason: r.reason,
      numberLabel: r.label,
      sentAt: r.sent_at,
      deliveredAt: r.delivered_at,
      readAt: r.read_at,
      replied: r.replied === 1,
      optedOut: r.opted_out === 1,
      consent: r.consent,
    })),
  };
}
