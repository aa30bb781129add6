import { statement, type Db } from '../db';
import { BUDGET_LIMITS } from '../../shared/health';
import { monthBounds } from '../../shared/time-zone';

/**
 * WhatsApp's monthly limit on messages to people who do not answer (tested country by country since October 2025;
 * the threshold is not published and varies between tests). Our budget per number and calendar month, in the
 * user's time zone:
 *
 * - A message counts when it went out (or may have: in doubt) to someone who has never written to that number,
 *   before or after it. A reply at any time takes all of that person's messages off the count, as the public
 *   reports describe WhatsApp's own tally ("if a recipient replies, those messages are removed"), and someone who
 *   has written before is a known conversation, which WhatsApp leaves out.
 * - The default, 3,000 a month (about 100 a day), is set well under the only public figure Meta gives for
 *   business-started messaging: 250 new people a day for a business number on its official Cloud API before it has
 *   earned more. It can be lowered, or raised (with a warning) up to MAX_BUDGET.
 */
export const DEFAULT_BUDGET = BUDGET_LIMITS.default;
export const MIN_BUDGET = BUDGET_LIMITS.min;
export const MAX_BUDGET = BUDGET_LIMITS.max;
/** Above this the Settings page warns: beyond the app's own defensible default. */
export const WARN_ABOVE = DEFAULT_BUDGET;
/** From this share of the budget on, the app warns as WhatsApp's own pop-up does near its limit. */
export const NEAR_SHARE = 0.8;

const COUNTED_STATES = "('sending', 'sent', 'delivered', 'read', 'in_doubt')";

/** A number's messages this month to people who never wrote to it (one query: on a lane's start or a new month). */
export function unansweredInMonth(db: Db, numberId: string, at: number, timeZone: string): number {
  const { start, end } = monthBounds(at, timeZone);
  return db
    .prepare(
      `SELECT COUNT(*) FROM sends s
       WHERE s.number_id = ? AND s.sending_at >= ? AND s.sending_at < ? AND s.state IN ${COUNTED_STATES}
         AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.number_id = s.number_id AND i.phone = s.phone)`,
    )
    .pluck()
    .get(numberId, start, end) as number;
}

/** A number's budget: its own if the user set one, else the default. */
export function budgetOf(db: Db, numberId: string): number {
  const own = db.prepare('SELECT unanswered_budget FROM numbers WHERE id = ?').pluck().get(numberId) as number | null | undefined;
  return own ?? DEFAULT_BUDGET;
}

/**
 * Each number's count for the current month, kept as sends and replies happen so the pacer can ask before every
 * send without a query: read once per number and month, +1 for a send to someone who never wrote, −(their sends
 * this month) when someone writes to the number for the first time.
 */
export class UnansweredCounter {
  /**
   * Per number, the months read so far (the current one, and the next when the pacer looks ahead to it at a spent
   * budget: read again before every send, that one grew with the campaign, #34).
   */
  private months = new Map<string, { start: number; end: number; count: number; zone: string }[]>();
  private budgets = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly timeZone: () => string,
  ) {}

  count(numberId: string, at: number): number {
    const zone = this.timeZone();
    // The user moved to another time zone: their months moved with them.
    const known = (this.months.get(numberId) ?? []).filter((m) => m.zone === zone && m.end > this.oldestKept(at));
    const hit = known.find((m) => at >= m.start && at < m.end);
    if (hit) return hit.count;
    const bounds = monthBounds(at, zone);
    const count = unansweredInMonth(this.db, numberId, at, zone);
    this.months.set(numberId, [...known, { ...bounds, count, zone }].slice(-3));
    return count;
  }

  /** Months that ended before the one of `at`'s previous month are not asked again. */
  private oldestKept(at: number): number {
    return at - 62 * 86_400_000;
  }

  /** When the month of `at` ends, in the user's time zone (the budget's months are theirs). */
  monthEnd(at: number): number {
    // Asked before every send: the last month's bounds are kept (working them out in a time zone is not free).
    const zone = this.timeZone();
    const last = this.lastMonth;
    if (last && last.zone === zone && at >= last.start && at < last.end) return last.end;
    this.lastMonth = { ...monthBounds(at, zone), zone };
    return this.lastMonth.end;
  }

  private lastMonth: { start: number; end: number; zone: string } | undefined;

  budget(numberId: string): number {
    let budget = this.budgets.get(numberId);
    if (budget === undefined) {
      budget = budgetOf(this.db, numberId);
      this.budgets.set(numberId, budget);
    }
    return budget;
  }

  /** A send went out (or may have) on the number: counted unless the person has written to it. */
  onSend(numberId: string, phone: string, at: number): void {
    const month = this.months.get(numberId)?.find((m) => at >= m.start && at < m.end);
    if (!month) return;
    if (!this.hasWritten(numberId, phone)) month.count += 1;
  }

  /** Whether the person has ever written to the number: asked before their reply is stored. */
  hasWritten(numberId: string, phone: string): boolean {
    return statement(this.db, 'SELECT 1 FROM incoming WHERE number_id = ? AND phone = ? LIMIT 1').get(numberId, phone) !== undefined;
  }

  /** The person wrote to the number for the first time: their messages of the months kept are no longer counted. */
  onFirstReply(numberId: string, phone: string): void {
    for (const month of this.months.get(numberId) ?? []) {
      const theirs = statement(this.db, `SELECT COUNT(*) FROM sends WHERE number_id = ? AND phone = ? AND sending_at >= ? AND sending_at < ? AND state IN ${COUNTED_STATES}`)
        .pluck()
        .get(numberId, phone, month.start, month.end) as number;
      month.count = Math.max(0, month.count - theirs);
    }
  }

  /** The user changed a budget or the time zone: read again at the next ask. */
  forget(numberId?: string): void {
    if (numberId) {
      this.months.delete(numberId);
      this.budgets.delete(numberId);
    } else {
      this.months.clear();
      this.budgets.clear();
    }
  }
}
