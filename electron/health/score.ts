/**
 * A number's health, 0–100, from what its recent sends met: the signals that come before a ban. WhatsApp publishes
 * none of its own thresholds; these weights are ours, set by how directly each signal is known to come before a
 * ban (the README explains them and their limits). The advice is the worst factor's remedy, as soon as the score
 * leaves the good band or any factor has lost half of its weight.
 */

/** What a number's sends met over a window (7 or 30 days, or a campaign's last sends). */
export type HealthCounts = {
  /** Messages that went out. */
  sent: number;
  /** People written to who answered (any reply, after the send). */
  people: number;
  replied: number;
  /** People written to who opted out by reply. */
  optedOut: number;
  /** Sends that failed, and those skipped because the phone is not on WhatsApp. */
  failed: number;
  notOnWhatsApp: number;
  /** Sends old enough to have been delivered (an hour and more), and those of them still at one tick. */
  settled: number;
  oneTick: number;
  /** Share of this month's unanswered-message budget used, 0–1 (only for the number's own windows). */
  budgetUsed: number;
};

export type HealthFactorKey = 'replies' | 'opt_outs' | 'failures' | 'not_on_whatsapp' | 'one_tick' | 'budget';
export type HealthAdvice = 'keep_going' | 'slow_down' | 'pause_two_days' | 'review_message' | 'clean_list' | 'wait_next_month';

export type HealthFactor = { key: HealthFactorKey; rate: number; penalty: number; max: number };
export type Health = { score: number | null; factors: HealthFactor[]; advice: HealthAdvice | null };

/** Below this many messages in the window the rates say too little: no score. */
export const MIN_SENT = 20;

/**
 * Each factor: at what rate it takes its whole weight (linear from its healthy level), its weight, and the one
 * thing to do when it is the worst.
 */
const FACTORS: { key: HealthFactorKey; max: number; healthy: number; worst: number; lower: boolean; advice: HealthAdvice }[] = [
  // Replies: 10 % or more of people answering is healthy for messages to one's own customers; none is a red flag.
  { key: 'replies', max: 20, healthy: 0.1, worst: 0, lower: true, advice: 'review_message' },
  // Opt-outs: each one is a likely spam report; 3 % of people is the point of real danger.
  { key: 'opt_outs', max: 25, healthy: 0, worst: 0.03, lower: false, advice: 'review_message' },
  // Failures: WhatsApp refusing sends is how throttling shows.
  { key: 'failures', max: 15, healthy: 0.01, worst: 0.1, lower: false, advice: 'slow_down' },
  // Phones not on WhatsApp: an old or bought list, which WhatsApp reads as spam.
  { key: 'not_on_whatsapp', max: 10, healthy: 0.05, worst: 0.25, lower: false, advice: 'clean_list' },
  // One tick only, hours later, while the number's other messages are delivered: people blocking it.
  { key: 'one_tick', max: 20, healthy: 0.02, worst: 0.15, lower: false, advice: 'pause_two_days' },
  // The monthly budget of unanswered messages: near it WhatsApp starts refusing.
  { key: 'budget', max: 10, healthy: 0.7, worst: 1, lower: false, advice: 'wait_next_month' },
];

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export function healthScore(c: HealthCounts): Health {
  const rates: Record<HealthFactorKey, number> = {
    replies: share(c.replied, c.people),
    opt_outs: share(c.optedOut, c.people),
    failures: share(c.failed, c.sent + c.failed),
    not_on_whatsapp: share(c.notOnWhatsApp, c.sent + c.failed + c.notOnWhatsApp),
    one_tick: share(c.oneTick, c.settled),
    budget: c.budgetUsed,
  };
  const factors = FACTORS.map((f) => {
    const rate = rates[f.key];
    const badness = f.lower ? (f.healthy - rate) / (f.healthy - f.worst) : (rate - f.healthy) / (f.worst - f.healthy);
    return { key: f.key, rate, penalty: Math.round(Math.max(0, Math.min(1, badness)) * f.max), max: f.max };
  });
  if (c.sent < MIN_SENT) return { score: null, factors, advice: null };
  const score = 100 - factors.reduce((sum, f) => sum + f.penalty, 0);
  const worst = [...factors].sort((a, b) => b.penalty / b.max - a.penalty / a.max)[0];
  const acts = worst !== undefined && worst.penalty > 0 && (score < 80 || worst.penalty >= worst.max / 2);
  const advice = acts ? (FACTORS.find((f) => f.key === worst.key)?.advice ?? 'slow_down') : 'keep_going';
  return { score, factors, advice };
}
