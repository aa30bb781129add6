import type { Db } from '../db';
import { audienceWhere, CAPPED_SQL, type Audience } from './audience';

export type Recipient = { id: number; phone: string; name: string | null; fields: string; wa_status: string; opted_out: number; recent: number; capped: number; previous_number: string | null };

/**
 * The audience's contacts (lists and segments, minus excluded lists), each with what decides whether it is sent:
 * opt-out, WhatsApp status, a message in the last 24 h, and the number that last wrote to it.
 */
export function recipients(db: Db, audience: Audience, now: number, afterId = 0, limit = 1_000_000): Recipient[] {
  // `now` is the moment the campaign starts: "messaged in the last 24 h" and the segments' rules are judged from there.
  // A follow-up's own first message does not count as recent: going N days after it is what the user chose.
  const where = audienceWhere(audience, now);
  return db
    .prepare(
      `SELECT c.id, c.phone, c.name, c.fields, c.wa_status,
              EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = c.phone) AS opted_out,
              EXISTS (SELECT 1 FROM sends s WHERE s.phone = c.phone AND s.sent_at > @recentSince${audience.engagedIn ? ' AND s.campaign_id != @engagedIn' : ''}) AS recent,
              ${audience.cap ? CAPPED_SQL : '0'} AS capped,
              (SELECT s.number_id FROM sends s WHERE s.phone = c.phone AND s.sent_at IS NOT NULL ORDER BY s.sent_at DESC LIMIT 1) AS previous_number
       FROM contacts c
       WHERE ${where.sql} AND c.id > @afterId
       ORDER BY c.id LIMIT @limit`,
    )
    .all({ ...where.params, ...(audience.cap ? { capPlan: audience.cap.recurringId, capSince: audience.cap.since } : {}), recentSince: now - 24 * 3_600_000, afterId, limit }) as Recipient[];
}

/** When a campaign starts: its scheduled time when that is still ahead, else now. */
export function startOf(settings: { startAt: number | null }, now: number): number {
  return settings.startAt !== null && settings.startAt > now ? settings.startAt : now;
}
