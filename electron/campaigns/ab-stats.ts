import type { AbTest } from '../../shared/campaigns';
import type { Rate, VersionStat } from '../../shared/reports';
import type { Db } from '../db';

const Z95 = 1.96;
const DAY_MS = 86_400_000;

/** A proportion with its 95 % Wilson interval (sound for small counts and for 0 or 100 %). */
export function wilson(count: number, total: number): Rate {
  if (total === 0) return { count, rate: 0, low: 0, high: 0 };
  const p = count / total;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / (1 + z2 / total);
  return { count, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The standard normal distribution function (Abramowitz–Stegun 26.2.17, error below 1e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989423 * Math.exp((-x * x) / 2);
  const tail = d * t * (0.3193815 + t * (-0.3565638 + t * (1.781478 + t * (-1.821256 + t * 1.330274))));
  return x >= 0 ? 1 - tail : tail;
}

/**
 * Which version did best by `metric` (ties: the earlier version), and how sure that is: the chance that its rate
 * is truly above the runner-up's, from the difference of the two proportions (normal approximation).
 */
export function chooseVersion(stats: VersionStat[], metric: AbTest['metric']): { winner: number; confidence: number } {
  const rateOf = (s: VersionStat) => (metric === 'replied' ? s.replied : s.read);
  const ranked = [...stats].sort((a, b) => rateOf(b).rate - rateOf(a).rate || a.variant - b.variant);
  const best = ranked[0];
  const second = ranked[1];
  if (!best) return { winner: 0, confidence: 0 };
  if (!second || best.sent === 0 || second.sent === 0) return { winner: best.variant, confidence: 0.5 };
  const p1 = rateOf(best).rate;
  const p2 = rateOf(second).rate;
  const se = Math.sqrt((p1 * (1 - p1)) / best.sent + (p2 * (1 - p2)) / second.sent);
  const confidence = se === 0 ? (p1 > p2 ? 1 : 0.5) : normalCdf((p1 - p2) / se);
  return { winner: best.variant, confidence: Math.round(confidence * 1000) / 1000 };
}

/** Each version's sends and what came of them, as of `now`. */
export function versionStats(db: Db, campaignId: number, bodies: string[], now: number): VersionStat[] {
  const rows = db
    .prepare(
      `SELECT s.variant,
              COUNT(*) AS sent,
              SUM(s.read_at IS NOT NULL OR r.phone IS NOT NULL) AS read,
              SUM(r.phone IS NOT NULL) AS replied,
              SUM(x.phone IS NOT NULL) AS opted_out,
              SUM(s.state = 'sent' AND s.sent_at < @dayAgo) AS blocked
       FROM sends s
       LEFT JOIN (SELECT DISTINCT phone FROM incoming WHERE campaign_id = @id AND opt_out = 0) r ON r.phone = s.phone
       LEFT JOIN (SELECT DISTINCT phone FROM incoming WHERE campaign_id = @id AND opt_out = 1) x ON x.phone = s.phone
       WHERE s.campaign_id = @id AND s.variant IS NOT NULL AND s.sent_at IS NOT NULL
       GROUP BY s.variant`,
    )
    .all({ id: campaignId, dayAgo: now - DAY_MS }) as { variant: number; sent: number; read: number; replied: number; opted_out: number; blocked: number }[];
  return bodies.map((body, variant) => {
    const row = rows.find((r) => r.variant === variant) ?? { sent: 0, read: 0, replied: 0, opted_out: 0, blocked: 0 };
    return {
      variant,
      body,
      sent: row.sent,
      read: wilson(row.read, row.sent),
      replied: wilson(row.replied, row.sent),
      optedOut: wilson(row.opted_out, row.sent),
      blocked: wilson(row.blocked, row.sent),
    };
  });
}
