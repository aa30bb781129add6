import { localTime, zonedInstant } from './time-zone';

/** Sending window: days of week (0 = Sunday) and minutes of the local day, [start, end). */
export type SendWindow = { days: number[]; startMinute: number; endMinute: number };

/**
 * `at` itself if inside the window, else the start of the next open stretch. Shared by the pacer and the screens
 * that say when a campaign will start (the review, the live status), so they say what the pacer will do.
 */
export function windowStart(at: number, window: SendWindow, timeZone: string): number {
  if (window.days.length === 0 || window.endMinute <= window.startMinute) return Number.POSITIVE_INFINITY;
  const local = localTime(at, timeZone);
  const minute = local.hour * 60 + local.minute;
  if (window.days.includes(local.weekday) && minute >= window.startMinute && minute < window.endMinute) return at;
  for (let offset = 0; offset <= 7; offset++) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const weekday = day.getUTCDay();
    if (!window.days.includes(weekday)) continue;
    const start = zonedInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), Math.floor(window.startMinute / 60), window.startMinute % 60, timeZone);
    if (start > at) return start;
  }
  return Number.POSITIVE_INFINITY;
}
