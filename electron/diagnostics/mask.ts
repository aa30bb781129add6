/**
 * Masking for the support bundle: it may travel by e-mail, so it never carries a customer's phone, name or words.
 * Phones (in any shape: +52 55 1234 5678, 5215512345678@c.us, LIDs) keep only their last two digits; what people
 * wrote or were sent (texts, bodies, captions, names) keeps only its length.
 */

/** Keys whose values are people's words or names, in our logs, settings and state. */
const PRIVATE_KEYS = new Set(['text', 'body', 'caption', 'name', 'pushname', 'label', 'optOutReply', 'optOutWords', 'detail', 'fields', 'content', 'reply']);

/** A run of 7 or more digits, with the spaces, dots, dashes and brackets people put in phones. */
const DIGITS = /[+(]?\d(?:[\s().-]{0,2}\d){6,}/g;

export function maskDigits(text: string): string {
  return text.replace(DIGITS, (run) => {
    const digits = run.replace(/\D/g, '');
    return `•••${digits.slice(-2)}`;
  });
}

function hidden(value: unknown): string {
  const length = typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
  return `[oculto: ${length} caracteres]`;
}

/** A value with its private keys hidden and every phone-like run of digits masked, at any depth. */
export function maskValue(value: unknown, key: string | null = null): unknown {
  if (key !== null && PRIVATE_KEYS.has(key) && value !== null && value !== undefined && value !== '') return hidden(value);
  if (typeof value === 'string') return maskDigits(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v, k)]));
  return value;
}

/** A log file (pino's JSON lines; any other line as text): each line masked. */
export function maskLog(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      try {
        return JSON.stringify(maskValue(JSON.parse(line)));
      } catch {
        return maskDigits(line);
      }
    })
    .join('\n');
}
