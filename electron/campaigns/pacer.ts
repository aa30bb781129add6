import type { Random } from '../core/random';
import { windowStart, type SendWindow as Window } from '../../shared/send-window';
import { dayBounds } from '../../shared/time-zone';

/** Limits no setting can pass: per number, in any sliding 60 s, and per calendar day in the user's zone. */
export const HARD_PER_MINUTE = 100;
/** How much longer than a minute the window is at the 100-a-minute ceiling: no 60 s of arrivals ever holds 101. */
export const HARD_MARGIN_MS = 5_000;
export const HARD_PER_DAY = 6000;
const MINUTE = 60_000;
/** Cloud API numbers: Meta's own throughput is 80/s; the phone limits above are for linked phones only. */
export const CLOUD_PER_MINUTE = 1200;

export type PresetName = 'standard' | 'careful' | 'new_number' | 'cloud' | 'custom';

export type Pace = {
  preset: PresetName;
  /** The most per sliding minute for this pace (capped at 100). */
  perMinute: number;
  /** Spacing between two sends, drawn uniformly (ms). */
  gapMs: [number, number];
  /** After a batch of this many (drawn uniformly) comes a pause (ms). */
  batch: [number, number];
  pauseMs: [number, number];
  dailyCap: number;
};

export type { SendWindow as Window } from '../../shared/send-window';
export { windowStart } from '../../shared/send-window';

export type PacerSettings = { pace: Pace; window: Window | null; timeZone: string; startAt: number | null };

export const PRESETS: Record<Exclude<PresetName, 'custom'>, Pace> = {
  // About 60 a minute with random spacing, short pauses after random batches.
  standard: { preset: 'standard', perMinute: 60, gapMs: [700, 1500], batch: [50, 100], pauseMs: [15_000, 40_000], dailyCap: 6000 },
  // About 6–10 a minute, longer pauses.
  careful: { preset: 'careful', perMinute: 10, gapMs: [6000, 10_000], batch: [15, 30], pauseMs: [180_000, 480_000], dailyCap: 1000 },
  // A warm-up: slow, and a daily cap that grows over the number's first weeks (see warmupCap).
  new_number: { preset: 'new_number', perMinute: 6, gapMs: [9000, 16_000], batch: [8, 15], pauseMs: [300_000, 600_000], dailyCap: 1000 },
  // The Cloud API: Meta takes 80 messages/s per number and bans nobody for volume as such; the app sends about 20/s
  // (no need for more from one desktop) and keeps to the number's messaging tier of people per day (pacerSettings).
  cloud: { preset: 'cloud', perMinute: CLOUD_PER_MINUTE, gapMs: [30, 70], batch: [1000, 1000], pauseMs: [30, 70], dailyCap: 100_000 },
};

/** Daily caps of a new number by day of sending (day 0 = its first day): three weeks from 30 to 1,000. */
export const WARMUP = [30, 40, 50, 70, 90, 120, 150, 200, 250, 300, 350, 400, 450, 500, 600, 650, 700, 800, 850, 900, 1000];

export function warmupCap(day: number): number {
  return WARMUP[Math.max(0, Math.min(day, WARMUP.length - 1))] ?? 1000;
}

/** A number's cap for one day of sending: the pace's, never over the hard limit, and the warm-up's for a new number. */
export function dailyCap(pace: Pace, warmupDay: number | (() => number)): number {
  if (pace.preset === 'cloud') return pace.dailyCap;
  // The warm-up's step is read from the number's history: only a pace that uses it asks for it.
  const step = () => (typeof warmupDay === 'number' ? warmupDay : warmupDay());
  return Math.min(HARD_PER_DAY, pace.dailyCap, pace.preset === 'new_number' ? warmupCap(step()) : HARD_PER_DAY);
}

/** A user's own pace, made safe: nothing above the hard limits, nothing nonsensical. */
export function customPace(p: { perMinute: number; gapMs: [number, number]; batch: [number, number]; pauseMs: [number, number]; dailyCap: number }): Pace {
  const perMinute = Math.max(1, Math.min(HARD_PER_MINUTE, Math.floor(p.perMinute)));
  const minGap = Math.max(200, Math.min(p.gapMs[0], p.gapMs[1]));
  const batchMin = Math.max(1, Math.min(p.batch[0], p.batch[1]));
  return {
    preset: 'custom',
    perMinute,
    gapMs: [minGap, Math.max(minGap, p.gapMs[0], p.gapMs[1])],
    batch: [batchMin, Math.max(batchMin, p.batch[0], p.batch[1])],
    pauseMs: [Math.max(0, Math.min(p.pauseMs[0], p.pauseMs[1])), Math.max(0, p.pauseMs[0], p.pauseMs[1])],
    dailyCap: Math.max(1, Math.min(HARD_PER_DAY, Math.floor(p.dailyCap))),
  };
}

/** The random part, drawn once after each send: how long until the next one may go, and what is left of the batch. */
export function drawGap(pace: Pace, batchLeft: number, random: Random): { gapMs: number; batchLeft: number; pause: boolean } {
  if (batchLeft <= 1) return { gapMs: random.int(...pace.pauseMs), batchLeft: random.int(...pace.batch), pause: true };
  return { gapMs: random.int(...pace.gapMs), batchLeft: batchLeft - 1, pause: false };
}

export type History = {
  /** Times of this number's sends in the last minute or so, oldest first. */
  recent: number[];
  /** How many this number sent on the local day containing `at`. */
  sentOnDay(at: number): number;
  /** Day index of sending for the warm-up (0 on the number's first day of sending). */
  warmupDay(at: number): number;
  /**
   * The number's messages to people who never answered, in the calendar month of `at`, and its monthly budget
   * for them (see health/unanswered.ts). Absent: no budget (the estimate's replay of a number with none set).
   */
  unanswered?(at: number): { count: number; budget: number; monthEnd: number };
};

export type Why = 'now' | 'spacing' | 'scheduled' | 'window' | 'daily_cap' | 'rate_cap' | 'monthly_budget';

/**
 * When the next send of a number may go, given its history: deterministic (the randomness is in `earliest`),
 * so re-asking at wake-up gives the same answer unless something changed.
 */
export function nextAllowed(input: { now: number; earliest: number; history: History; settings: PacerSettings }): { at: number; why: Why } {
  const { now, history, settings } = input;
  let at = now;
  let why: Why = 'now';
  const raise = (t: number, reason: Why) => {
    if (t > at) {
      at = t;
      why = reason;
    }
  };
  raise(input.earliest, 'spacing');
  if (settings.startAt !== null) raise(settings.startAt, 'scheduled');
  const perMinute = Math.min(settings.pace.preset === 'cloud' ? CLOUD_PER_MINUTE : HARD_PER_MINUTE, settings.pace.perMinute);
  for (let guard = 0; guard < 400; guard++) {
    const before = at;
    if (settings.window) raise(windowStart(at, settings.window, settings.timeZone), 'window');
    const cap = dailyCap(settings.pace, () => history.warmupDay(at));
    if (history.sentOnDay(at) >= cap) raise(dayBounds(at, settings.timeZone).end, 'daily_cap');
    // The month's budget of unanswered messages used up: the number waits for the next month.
    const month = history.unanswered?.(at);
    if (month && month.count >= month.budget) raise(month.monthEnd, 'monthly_budget');
    // Sliding window: the send at `at` would be the perMinute-th within (at - 60 s, at]. At WhatsApp's own ceiling
    // the window is 5 s longer: sends are counted as they start, and WhatsApp counts them as they arrive, seconds
    // later and not evenly (it saw 101 in a minute three times without this margin).
    const span = perMinute >= HARD_PER_MINUTE && settings.pace.preset !== 'cloud' ? MINUTE + HARD_MARGIN_MS : MINUTE;
    const inWindow = history.recent.filter((t) => t > at - span);
    if (inWindow.length >= perMinute) raise((inWindow[inWindow.length - perMinute] ?? at) + span, 'rate_cap');
    if (at === before) return { at, why };
  }
  return { at, why };
}

