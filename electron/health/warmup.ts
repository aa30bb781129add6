import type { Db } from '../db';
import { dayBounds } from '../../shared/time-zone';
import { numberCounts } from './health';
import { healthScore } from './score';

const HOUR = 3_600_000;

/** Health at or above this lets the warm-up advance a step; below FALL it steps back. */
export const WARMUP_GOOD = 70;
export const WARMUP_FALL = 50;
/** How far a bad day sets the warm-up back. */
const STEP_BACK = 2;

/**
 * Where a new number stands in its warm-up on the local day of `at`, from its own history rather than its age:
 * each earlier day it sent on moves it one step on while that day's health is good, holds
 * it when fair, and sets it back two steps when poor; a day it did not send moves nothing. Days ahead (an
 * estimate's replay) are assumed good. Step 0 is the first day's cap. Days are judged on their own sends: a
 * new number sends a few dozen a day, and a week's window would hide a bad day behind good ones.
 */
export function warmupStep(db: Db, numberId: string, firstSend: number, at: number, zone: string): number {
  const today = dayBounds(at, zone).start;
  const sentOn = db.prepare("SELECT COUNT(*) FROM sends WHERE number_id = ? AND sending_at >= ? AND sending_at < ? AND state != 'queued'").pluck();
  let step = 0;
  for (let day = dayBounds(firstSend, zone); day.start < today; day = dayBounds(day.end + 1000, zone)) {
    if ((sentOn.get(numberId, day.start, day.end) as number) === 0) continue;
    const verdict = dayVerdict(db, numberId, day.start, day.end, at);
    if (verdict === 'good') step += 1;
    else if (verdict === 'poor') step = Math.max(0, step - STEP_BACK);
  }
  return step;
}

/**
 * A day of sending as the warm-up judges it, on that day's own sends (what is known of them now): good, fair or
 * poor. Poor too when people blocked it or opted out heavily that day, whatever the rest: those come before bans.
 */
function dayVerdict(db: Db, numberId: string, start: number, end: number, now: number): 'good' | 'fair' | 'poor' {
  const { score, factors } = healthScore(numberCounts(db, numberId, start, end, Math.min(end, now) - HOUR, 0));
  const alarm = factors.some((f) => (f.key === 'one_tick' || f.key === 'opt_outs') && f.penalty >= f.max * 0.75);
  if (alarm || (score !== null && score < WARMUP_FALL)) return 'poor';
  return score === null || score >= WARMUP_GOOD ? 'good' : 'fair';
}
