/**
 * A whatsapp-web.js message key as it crosses from the page, in every shape WhatsApp Web has served:
 * - up to July 2026: `{ fromMe, remote, id, _serialized: 'true_<chat>_<id>' }`;
 * - WhatsApp Web ≥ 2.3000.1042401057 (July 2026): `_serialized` renamed to a minified own property (`$1` in the
 *   builds reported in wwebjs/whatsapp-web.js#201830 and #201857, wppconnect-team/wa-js#3484), whose value may end
 *   in `_out`: `{ fromMe: true, remote: '…@lid', id: '3EB0…', self: 'out', $1: 'true_…@lid_3EB0…_out' }`;
 * - `remote` itself a Wid object (`{ _serialized }`, or `{ user, server }`) rather than a string.
 */
export type RawMessageKey = Record<string, unknown> | null | undefined;

export type MessageKey = {
  /** The key's own id (`3EB0…`): random per message and the same whichever chat id (phone or LID) names it. */
  id: string;
  /** The chat the message is in, as this key names it (`…@c.us` or `…@lid`). */
  remote: string | null;
  fromMe: boolean | null;
  /** The full serialized id for whatsapp-web.js lookups (`getMessageById`), however it was found. */
  serialized: string | null;
};

const SERIALIZED = /^(true|false)_([^_]+@[a-z.]+)_([A-Za-z0-9]+)(?:_.*)?$/;

/** Reads a key whatever the WhatsApp Web build; null when even its own id is missing. */
export function readMessageKey(raw: RawMessageKey): MessageKey | null {
  if (!raw || typeof raw !== 'object') return null;
  const serialized = serializedOf(raw);
  const parsed = serialized ? SERIALIZED.exec(serialized) : null;
  const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : (parsed?.[3] ?? null);
  if (!id) return null;
  const remote = widText(raw.remote) ?? parsed?.[2] ?? null;
  const fromMe = typeof raw.fromMe === 'boolean' ? raw.fromMe : parsed ? parsed[1] === 'true' : null;
  const rebuilt = remote !== null && fromMe !== null ? `${fromMe}_${remote}_${id}${typeof raw.participant === 'string' ? `_${raw.participant}` : ''}` : null;
  return { id, remote, fromMe, serialized: serialized ?? rebuilt };
}

/** `_serialized`, else any own string property shaped like a serialized key (the minified name changes per build). */
function serializedOf(raw: Record<string, unknown>): string | null {
  if (typeof raw._serialized === 'string' && raw._serialized !== '') return raw._serialized;
  for (const [name, value] of Object.entries(raw)) {
    if (name !== 'id' && name !== 'remote' && typeof value === 'string' && SERIALIZED.test(value)) return value;
  }
  return null;
}

/** A chat id (Wid) as text: a string, `{ _serialized }`, or `{ user, server }`. */
export function widText(wid: unknown): string | null {
  if (typeof wid === 'string') return wid || null;
  if (!wid || typeof wid !== 'object') return null;
  const w = wid as Record<string, unknown>;
  if (typeof w._serialized === 'string') return w._serialized;
  if (typeof w.user === 'string' && typeof w.server === 'string') return `${w.user}@${w.server}`;
  if (typeof w.user === 'string') return w.user; // `client.info.wid` as older builds gave it
  return null;
}
