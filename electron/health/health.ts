import { LIMIT_SEEN_LATE_MS } from '../whatsapp/wa-limits-store';
import { statement, type Db } from '../db';
import { monthBounds } from '../../shared/time-zone';
import { healthScore, type Health, type HealthCounts } from './score';
import { budgetOf, NEAR_SHARE, unansweredInMonth } from './unanswered';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WENT_OUT = "('sent', 'delivered', 'read', 'in_doubt')";

/** What the score reads of each send; an answer in a chat (#33) is a kind of its own. */
const ROW = "phone, number_id, state, reason, sending_at, (SELECT kind FROM campaigns c WHERE c.id = campaign_id) = 'chat' AS answer";

/** What sends matching `where` met, as the score reads it (see `countsOf`). */
function countsWhere(db: Db, where: string, params: unknown[], settledBefore: number, budgetUsed: number): HealthCounts {
  return countsOf(db, `SELECT ${ROW} FROM sends WHERE ${where}`, params, settledBefore, budgetUsed);
}

/**
 * What the sends `source` selects (with the columns of ROW) met, as the score reads it. An answer in a conversation
 * the person started (#33) is a conversation that replied, as WhatsApp counts it, whether or not they write again
 * after it. `settledBefore`: sends older than this had time to be delivered; still at one tick then, while others of
 * the same sends were delivered, they count as blocked.
 */
function countsOf(db: Db, source: string, params: unknown[], settledBefore: number, budgetUsed: number): HealthCounts {
  const row = statement(
    db,
    `WITH s AS MATERIALIZED (${source})
       SELECT
         (SELECT COUNT(*) FROM s WHERE state IN ${WENT_OUT}) AS sent,
         (SELECT COUNT(DISTINCT phone) FROM s WHERE state IN ${WENT_OUT}) AS people,
         (SELECT COUNT(DISTINCT phone) FROM s WHERE state IN ${WENT_OUT}
            AND EXISTS (SELECT 1 FROM incoming i WHERE i.number_id = s.number_id AND i.phone = s.phone AND (i.at >= s.sending_at OR s.answer))) AS replied,
         (SELECT COUNT(DISTINCT phone) FROM s WHERE state IN ${WENT_OUT}
            AND EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = s.phone AND o.source = 'reply' AND o.created_at >= s.sending_at)) AS optedOut,
         (SELECT COUNT(*) FROM s WHERE state = 'failed') AS failed,
         (SELECT COUNT(*) FROM s WHERE state = 'skipped' AND reason = 'not_on_whatsapp') AS notOnWhatsApp,
         (SELECT COUNT(*) FROM s WHERE state IN ('sent', 'delivered', 'read') AND sending_at < ?) AS settled,
         (SELECT COUNT(*) FROM s WHERE state = 'sent' AND sending_at < ?) AS oneTick,
         (SELECT COUNT(*) FROM s WHERE state IN ('delivered', 'read') AND sending_at < ?) AS delivered`,
  ).get(...params, settledBefore, settledBefore, settledBefore) as Omit<HealthCounts, 'budgetUsed'> & { delivered: number };
  const { delivered, ...counts } = row;
  // Nothing delivered at all is a receipts problem (or no phone online), not people blocking: not counted.
  return { ...counts, oneTick: delivered > 0 ? counts.oneTick : 0, budgetUsed };
}

/**
 * The window the brake judges a campaign's health on: its last sends, not its whole day (which for a day of 6,000
 * was read again every ten sends: a cost that grew with the campaign, #34). Enough people for every rate to mean
 * something (the score needs 20), few enough to read in a millisecond.
 */
export const CAMPAIGN_HEALTH_SENDS = 500;
/** The numbers' history the brake's baseline reads: their last sends in the 30 days before the campaign. */
export const BASELINE_SENDS = 2000;

export type NumberMonth = { unanswered: number; budget: number; ownBudget: boolean; near: boolean; monthEnd: number };

/** A number's month so far against its budget of unanswered messages. */
export function numberMonth(db: Db, numberId: string, now: number, timeZone: string): NumberMonth {
  const own = db.prepare('SELECT unanswered_budget FROM numbers WHERE id = ?').pluck().get(numberId) as number | null | undefined;
  const budget = budgetOf(db, numberId);
  const unanswered = unansweredInMonth(db, numberId, now, timeZone);
  return { unanswered, budget, ownBudget: own !== null && own !== undefined, near: unanswered >= budget * NEAR_SHARE, monthEnd: monthBounds(now, timeZone).end };
}

/** What a number's sends between two moments met (skips, which have no send time, placed by their last change). */
export function numberCounts(db: Db, numberId: string, from: number, to: number, settledBefore: number, budgetUsed: number): HealthCounts {
  return countsWhere(db, 'number_id = ? AND COALESCE(sending_at, updated_at) >= ? AND COALESCE(sending_at, updated_at) < ?', [numberId, from, to], settledBefore, budgetUsed);
}

/** A number's health over the last `days` (sends started in that window; blocks judged on those an hour old). */
export function numberHealth(db: Db, numberId: string, now: number, days: number, month: NumberMonth): Health {
  return healthScore(numberCounts(db, numberId, now - days * DAY, now, now - HOUR, month.unanswered / Math.max(1, month.budget)));
}

/**
 * A running campaign's own health over its last CAMPAIGN_HEALTH_SENDS sends of the last day (and the phones it found
 * not on WhatsApp in that day), for the brake: blocks judged on sends ten minutes old (a campaign cannot wait an hour
 * to hear that people block it), the budget left to the pacer.
 */
export function campaignHealth(db: Db, campaignId: number, now: number): { health: Health; counts: HealthCounts } {
  const source = `SELECT * FROM (SELECT ${ROW} FROM sends INDEXED BY sends_campaign_time WHERE campaign_id = ? AND sending_at >= ? ORDER BY sending_at DESC LIMIT ${CAMPAIGN_HEALTH_SENDS})
    UNION ALL SELECT ${ROW} FROM sends WHERE campaign_id = ? AND state = 'skipped' AND reason = 'not_on_whatsapp' AND sending_at IS NULL AND updated_at >= ?`;
  const counts = countsOf(db, source, [campaignId, now - DAY, campaignId, now - DAY], now - 10 * 60_000, 0);
  return { health: healthScore(counts), counts };
}

/**
 * People blocking a running campaign: of its last 50 sends old enough to be delivered (ten minutes), how many
 * are still at one tick — while others were delivered (none delivered is a receipts problem, not blocks). Sends
 * made while WhatsApp limited the number's messages to new people are left out: one grey tick forever is how such
 * a message can end on WhatsApp Web (#32; waha 2185), and it is no one blocking.
 */
export function recentBlocks(db: Db, campaignId: number, now: number): { settled: number; oneTick: number } {
  const row = statement(
    db,
    `SELECT COUNT(*) AS settled, COALESCE(SUM(state = 'sent'), 0) AS oneTick, COALESCE(SUM(state IN ('delivered', 'read')), 0) AS delivered
       FROM (SELECT s.state FROM sends s INDEXED BY sends_campaign_time WHERE s.campaign_id = ? AND s.state IN ('sent', 'delivered', 'read') AND s.sending_at < ?
               AND NOT EXISTS (SELECT 1 FROM number_limits l WHERE l.number_id = s.number_id AND l.limited_since IS NOT NULL
                                 AND s.sending_at >= l.limited_since - ${LIMIT_SEEN_LATE_MS} AND (l.limited_until IS NULL OR s.sending_at < l.limited_until))
             ORDER BY s.sending_at DESC LIMIT 50)`,
  ).get(campaignId, now - 10 * 60_000) as { settled: number; oneTick: number; delivered: number };
  return { settled: row.settled, oneTick: row.delivered > 0 ? row.oneTick : 0 };
}

/** The numbers' health over the 30 days before a moment (a campaign's start), on their last BASELINE_SENDS: the brake's baseline. */
export function baselineHealth(db: Db, numberIds: string[], before: number): Health {
  if (numberIds.length === 0) return healthScore(countsWhere(db, '0', [], before, 0));
  const marks = numberIds.map(() => '?').join(', ');
  const source = `SELECT * FROM (SELECT ${ROW} FROM sends WHERE number_id IN (${marks}) AND sending_at >= ? AND sending_at < ? ORDER BY sending_at DESC LIMIT ${BASELINE_SENDS})
    UNION ALL SELECT ${ROW} FROM sends WHERE number_id IN (${marks}) AND state = 'skipped' AND reason = 'not_on_whatsapp' AND sending_at IS NULL AND updated_at >= ? AND updated_at < ?`;
  return healthScore(countsOf(db, source, [...numberIds, before - 30 * DAY, before, ...numberIds, before - 30 * DAY, before], before - HOUR, 0));
}
