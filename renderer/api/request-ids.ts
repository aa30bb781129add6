/** Waits before asking again when no answer came: a moment, then longer (the app may be restarting its server). */
export const RETRY_DELAYS_MS = [250, 1000, 3000];

/** How long a call whose answer was lost keeps its id for the user's own repeat of it. */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;

/** A fresh id for one request (crypto.randomUUID needs a secure context; both of ours are, the fallback is for tests). */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The ids of calls whose answer never came. When the user repeats the same command with the same input (a click
 * repeated because the screen said it failed), it goes with the same id, so the app answers what the first one
 * did instead of doing it again.
 */
export class LostAnswers {
  private readonly lost = new Map<string, { id: string; at: number }>();

  idFor(command: string, input: unknown, now = Date.now()): string {
    const entry = this.lost.get(keyOf(command, input));
    return entry && now - entry.at < REPEAT_WINDOW_MS ? entry.id : newRequestId();
  }

  settle(command: string, input: unknown, id: string, answered: boolean, now = Date.now()): void {
    const key = keyOf(command, input);
    if (answered) this.lost.delete(key);
    else this.lost.set(key, { id, at: now });
  }
}

function keyOf(command: string, input: unknown): string {
  return `${command}\0${JSON.stringify(input ?? {})}`;
}
