import { dayBounds, localTime, zonedInstant } from '../../shared/time-zone';
import { dailyCap, HARD_PER_MINUTE, windowStart, type PacerSettings } from './pacer';

const mean = ([low, high]: [number, number]) => (low + high) / 2;

/** The average time between two sends of a pace: its spacing, plus its pauses spread over their batches. */
export function meanSendMs(pace: PacerSettings['pace']): number {
  const spaced = mean(pace.gapMs) + mean(pace.pauseMs) / Math.max(1, mean(pace.batch));
  return Math.max(spaced, 60_000 / Math.min(HARD_PER_MINUTE, pace.perMinute));
}

/**
 * When one number will have sent `count` more messages, day by day: at its pace's average rate, only inside the
 * sending window, and no more a day than its cap (the warm-up's, for a new number). Null when it never can (a
 * window with no open day). Cheap enough for every live update: a step per day, not per send.
 */
export function projectFinish(input: {
  now: number;
  count: number;
  settings: PacerSettings;
  sentToday: number;
  warmupDay: (at: number) => number;
}): number | null {
  const { settings, count } = input;
  const zone = settings.timeZone;
  const perSend = meanSendMs(settings.pace);
  let left = count;
  let at = Math.max(input.now, settings.startAt ?? input.now);
  let sentToday = input.sentToday;
  for (let day = 0; day < 400 && left > 0; day++) {
    const { start: today, end: tomorrow } = dayBounds(at, zone);
    let from = at;
    let until = tomorrow;
    if (settings.window) {
      from = windowStart(at, settings.window, zone);
      if (!Number.isFinite(from)) return null;
      if (from >= tomorrow) {
        at = dayBounds(from, zone).start;
        sentToday = 0;
        continue;
      }
      const local = localTime(from, zone);
      until = Math.min(tomorrow, zonedInstant(local.year, local.month, local.day, Math.floor(settings.window.endMinute / 60), settings.window.endMinute % 60, zone));
    }
    const room = Math.max(0, dailyCap(settings.pace, () => input.warmupDay(today)) - sentToday);
    const fits = Math.min(room, Math.floor((until - from) / perSend));
    if (left <= fits) return from + left * perSend;
    left -= fits;
    at = tomorrow;
    sentToday = 0;
  }
  return left > 0 ? null : at;
}
