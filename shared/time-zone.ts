/** Calendar arithmetic in the user's time zone with only Intl (no tz library): days, weekdays, minutes. */

export type LocalTime = { year: number; month: number; day: number; hour: number; minute: number; weekday: number };

const knownZones = new Map<string, boolean>();

/** Whether the runtime knows a zone (an IANA name); remembered, since zones are checked on every send. */
export function isTimeZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(zone, known);
  }
  return known;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function localTime(ms: number, timeZone: string): LocalTime & { second: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
  };
}

/** The instant at a local wall-clock time (the first one, if DST makes it ambiguous; the next valid one if skipped). */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let instant = guess;
  for (let i = 0; i < 3; i++) {
    const l = localTime(instant, timeZone);
    const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    instant = guess - (asUtc - instant);
  }
  return instant - (instant % 1000);
}

const boundsCache = new Map<string, { start: number; end: number }>();

/** Midnight (local) of the day `ms` falls on, and of the next day. Memoised per minute: the pacer asks often. */
export function dayBounds(ms: number, timeZone: string): { start: number; end: number } {
  const key = `${timeZone}|${Math.floor(ms / 60_000)}`;
  const cached = boundsCache.get(key);
  if (cached) return cached;
  if (boundsCache.size > 50_000) boundsCache.clear();
  const bounds = computeDayBounds(ms, timeZone);
  boundsCache.set(key, bounds);
  return bounds;
}

function computeDayBounds(ms: number, timeZone: string): { start: number; end: number } {
  const l = localTime(ms, timeZone);
  const start = zonedInstant(l.year, l.month, l.day, 0, 0, timeZone);
  const next = new Date(Date.UTC(l.year, l.month - 1, l.day + 1));
  return { start, end: zonedInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone) };
}

/** Midnight (local) of the first day of the calendar month `ms` falls on, and of the next month's. */
export function monthBounds(ms: number, timeZone: string): { start: number; end: number } {
  const l = localTime(ms, timeZone);
  const next = l.month === 12 ? { year: l.year + 1, month: 1 } : { year: l.year, month: l.month + 1 };
  return { start: zonedInstant(l.year, l.month, 1, 0, 0, timeZone), end: zonedInstant(next.year, next.month, 1, 0, 0, timeZone) };
}

export function minuteOfDay(ms: number, timeZone: string): number {
  const l = localTime(ms, timeZone);
  return l.hour * 60 + l.minute;
}

/** Whole local days from the day of `from` to the day of `to` (rounded: a DST day has 23 or 25 hours). */
export function daysBetween(from: number, to: number, timeZone: string): number {
  return Math.round((dayBounds(to, timeZone).start - dayBounds(from, timeZone).start) / 86_400_000);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a `datetime-local` input shows it, on the wall clock of `timeZone` (not the browser's). */
export function toWallClock(ms: number, timeZone: string): string {
  const l = localTime(ms, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}`;
}

/** A `datetime-local` value read on the wall clock of `timeZone`; null when it is not one. */
export function fromWallClock(value: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return zonedInstant(year, month, day, hour, minute, timeZone);
}
