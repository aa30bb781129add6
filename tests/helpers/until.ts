/**
 * Asks again every `everyMs` until `ok` holds, for state the app reaches by itself in real time (a number
 * connecting, an import, a webhook applied); gives up after `ms` saying what it last saw.
 */
export async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, ms = 20_000, everyMs = 100): Promise<T> {
  for (const started = Date.now(); ; ) {
    const value = await what();
    if (ok(value)) return value;
    if (Date.now() - started > ms) throw new Error(`gave up waiting: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
