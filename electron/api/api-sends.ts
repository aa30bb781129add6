import crypto from 'node:crypto';
import type { ApiMessage, ApiSendInput } from '../../shared/api';
import type { CampaignSettings } from '../../shared/campaigns';
import type { CountryCode } from 'libphonenumber-js';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import { normalizePhone } from '../phones';
import { unlistedContactId } from '../contacts/unlisted-contact';
import { contactRandom, parseTemplate, renderNodes } from '../messages/template';
import type { MediaStore } from '../messages';

type Row = {
  id: number;
  idem_key: string;
  created_at: number;
  send_id: number;
  state: string;
  reason: string | null;
  phone: string;
  contact_id: number;
  number_id: string | null;
  text: string;
  media_id: string | null;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  message_id: string | null;
};

const SELECT = `SELECT a.id, a.idem_key, a.created_at, a.send_id, s.state, s.reason, s.phone, s.contact_id, s.number_id, s.text, s.media_id,
  s.sent_at, s.delivered_at, s.read_at, s.message_id FROM api_messages a JOIN sends s ON s.id = a.send_id`;

export type ApiSendDeps = {
  db: Db;
  media: MediaStore;
  now: () => number;
  seed: () => number;
  country: () => CountryCode;
  timeZone: () => string;
  /** The numbers a message may go from (all linked ones). */
  numbers: () => string[];
  /** When a queued message is expected to go, by the engine's pacer; null when no number can send it now. */
  expectedAt: (sendId: number) => number | null;
  /** An https link to a stored attachment (see media-link.ts). */
  fetchMedia: (url: string) => Promise<string>;
  /** A message was queued: the engine looks at once, and its states are followed (webhooks). */
  queued: (campaignId: number) => void;
};

/** The engine's states in the API's words: skipped is a failure with its reason, in doubt still "sending". */
function apiState(state: string): { state: ApiMessage['state']; reason?: string } {
  if (state === 'skipped') return { state: 'failed' };
  if (state === 'in_doubt') return { state: 'sending', reason: 'in_doubt' };
  return { state: state as ApiMessage['state'] };
}

/** A request's fingerprint: the same key with another request is refused, not answered with the first result. */
function fingerprint(input: ApiSendInput): string {
  const { idempotencyKey: _key, ...rest } = input;
  const sorted = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]))
      : value;
  return crypto.createHash('sha256').update(JSON.stringify(sorted(rest))).digest('hex');
}

/**
 * Messages sent from the user's own systems: each goes through the campaigns' outbox (the pacer, the caps, the
 * month's budget, opt-outs at the send) as a campaign of kind 'api' with one send. The idempotency key is written
 * in the same transaction as that send: after a crash the key finds its first result, never a second message.
 */
export class ApiSends {
  constructor(private readonly deps: ApiSendDeps) {}

  async send(input: ApiSendInput, keyId: number | null): Promise<ApiMessage> {
    const print = fingerprint(input);
    const earlier = this.replay(input.idempotencyKey, print);
    if (earlier) return earlier;
    const { db } = this.deps;
    const contact = this.contactOf(input);
    if (db.prepare('SELECT 1 FROM opt_outs WHERE phone = ?').get(contact.phone) !== undefined) {
      throw new AppError('opted_out', `${contact.phone} asked not to get messages`, input.phone === undefined ? 'contactId' : 'phone');
    }
    if (contact.waStatus === 'not_on_whatsapp') throw new AppError('not_on_whatsapp', `${contact.phone} is not on WhatsApp`, input.phone === undefined ? 'contactId' : 'phone');
    const text = this.render(input, contact);
    const numbers = this.numbersFor(input);
    let mediaId = input.mediaId ?? null;
    if (mediaId) this.deps.media.get(mediaId);
    if (input.mediaUrl) mediaId = await this.deps.fetchMedia(input.mediaUrl);
    const now = this.deps.now();
    const settings: CampaignSettings = { pace: { preset: 'standard' }, window: null, timeZone: this.deps.timeZone(), startAt: null, skipRecent: false };
    const id = db.transaction(() => {
      // Checked again inside the write: a request with the same key may have finished while this one downloaded.
      const raced = db.prepare('SELECT id FROM api_messages WHERE idem_key = ?').pluck().get(input.idempotencyKey) as number | undefined;
      if (raced !== undefined) return { id: raced, made: false };
      const created = contact.id ?? unlistedContactId(this.deps.db, contact.phone, now);
      const campaign = Number(
        db
          .prepare("INSERT INTO campaigns (name, kind, state, body, media_id, template_id, seed, settings, created_at, updated_at, started_at) VALUES ('API', 'api', 'running', ?, ?, ?, ?, ?, ?, ?, ?)")
          .run(text, mediaId, input.templateId ?? null, this.deps.seed(), JSON.stringify(settings), now, now, now).lastInsertRowid,
      );
      const addNumber = db.prepare('INSERT INTO campaign_numbers (campaign_id, number_id) VALUES (?, ?)');
      for (const n of numbers) addNumber.run(campaign, n);
      // Prefer the number that already wrote to this contact, as campaigns do.
      const previous = db.prepare("SELECT number_id FROM sends WHERE phone = ? AND number_id IS NOT NULL AND state IN ('sent', 'delivered', 'read') ORDER BY sent_at DESC LIMIT 1").pluck().get(contact.phone) as string | undefined;
      const preferred = input.numberId ?? (previous && numbers.includes(previous) ? previous : null);
      const send = Number(
        db
          .prepare("INSERT INTO sends (campaign_id, contact_id, phone, name, number_id, text, media_id, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)")
          .run(campaign, created, contact.phone, contact.name, preferred, text, mediaId, now).lastInsertRowid,
      );
      const made = db.prepare('INSERT INTO api_messages (idem_key, fingerprint, campaign_id, send_id, key_id, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(input.idempotencyKey, print, campaign, send, keyId, now);
      return { id: Number(made.lastInsertRowid), made: true, campaign };
    })();
    if (!id.made) return this.replay(input.idempotencyKey, print) ?? this.get(id.id);
    if (id.campaign !== undefined) this.deps.queued(id.campaign);
    return this.get(id.id);
  }

  /** The first result of an earlier request with this key, or undefined when the key is new. */
  private replay(key: string, print: string): ApiMessage | undefined {
    const row = this.deps.db.prepare('SELECT id, fingerprint FROM api_messages WHERE idem_key = ?').get(key) as { id: number; fingerprint: string } | undefined;
    if (!row) return undefined;
    if (row.fingerprint !== print) this.conflict(key);
    return { ...this.get(row.id), replayed: true };
  }

  private conflict(key: string): never {
    throw new AppError('idempotency_conflict', `the key ${JSON.stringify(key)} was used before for another request`, 'idempotencyKey');
  }

  private contactOf(input: ApiSendInput): { id: number | null; phone: string; name: string | null; fields: Record<string, string>; waStatus: string } {
    const { db } = this.deps;
    type Found = { id: number; phone: string; name: string | null; fields: string; wa_status: string };
    let found: Found | undefined;
    let phone: string;
    if (input.contactId !== undefined) {
      found = db.prepare('SELECT id, phone, name, fields, wa_status FROM contacts WHERE id = ?').get(input.contactId) as Found | undefined;
      if (!found) throw new AppError('not_found', `no contact ${input.contactId}`, 'contactId');
      phone = found.phone;
    } else {
      const normalized = normalizePhone(input.phone, this.deps.country());
      if (!normalized.ok) throw new AppError('invalid_input', `phone: ${normalized.reason}`, 'phone');
      phone = normalized.e164;
      found = db.prepare('SELECT id, phone, name, fields, wa_status FROM contacts WHERE phone = ?').get(phone) as Found | undefined;
    }
    return found
      ? { id: found.id, phone, name: found.name, fields: JSON.parse(found.fields) as Record<string, string>, waStatus: found.wa_status }
      : { id: null, phone, name: null, fields: {}, waStatus: 'unknown' };
  }


  private render(input: ApiSendInput, contact: { id: number | null; phone: string; name: string | null; fields: Record<string, string> }): string {
    let body = input.text;
    if (input.templateId !== undefined) {
      body = this.deps.db.prepare('SELECT body FROM templates WHERE id = ?').pluck().get(input.templateId) as string | undefined;
      if (body === undefined) throw new AppError('not_found', `no saved message ${input.templateId}`, 'templateId');
    }
    const { nodes, errors } = parseTemplate(body ?? '');
    if (errors.length > 0) throw new AppError('template_invalid', errors.map((e) => e.code).join(', '), input.templateId === undefined ? 'text' : 'templateId');
    const fields = { ...contact.fields, ...input.fields };
    const rendered = renderNodes(nodes, { id: contact.id ?? 0, name: contact.name, phone: contact.phone, fields }, contactRandom(this.deps.seed(), contact.id ?? 0));
    if (rendered.missing.length > 0) throw new AppError('missing_field', `no value for ${rendered.missing.join(', ')}`, 'fields');
    if (rendered.text.trim() === '' && !input.mediaId && !input.mediaUrl) throw new AppError('invalid_input', 'the message is empty', 'text');
    return rendered.text;
  }

  private numbersFor(input: ApiSendInput): string[] {
    const all = this.deps.numbers();
    if (input.numberId !== undefined) {
      if (!all.includes(input.numberId)) throw new AppError('not_found', `no number ${input.numberId}`, 'numberId');
      return [input.numberId];
    }
    if (all.length === 0) throw new AppError('no_numbers', 'no number is linked', 'numberId');
    return all;
  }

  get(id: number): ApiMessage {
    const row = this.deps.db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as Row | undefined;
    if (!row) throw new AppError('not_found', `no message ${id}`, 'id');
    return this.view(row);
  }

  byKey(key: string): ApiMessage {
    const row = this.deps.db.prepare(`${SELECT} WHERE a.idem_key = ?`).get(key) as Row | undefined;
    if (!row) throw new AppError('not_found', `no message with key ${JSON.stringify(key)}`, 'idempotencyKey');
    return this.view(row);
  }

  /** The id of the API message that made this send, if an API message did. */
  ofSend(sendId: number): number | undefined {
    return this.deps.db.prepare('SELECT id FROM api_messages WHERE send_id = ?').pluck().get(sendId) as number | undefined;
  }

  list(filter: { state?: ApiMessage['state']; offset: number; limit: number }): { total: number; rows: ApiMessage[] } {
    const states: Record<ApiMessage['state'], string[]> = {
      queued: ['queued'],
      sending: ['sending', 'in_doubt'],
      sent: ['sent'],
      delivered: ['delivered'],
      read: ['read'],
      failed: ['failed', 'skipped'],
    };
    const wanted = filter.state ? states[filter.state] : null;
    const where = wanted ? `WHERE s.state IN (${wanted.map(() => '?').join(', ')})` : '';
    const params = wanted ?? [];
    const total = this.deps.db.prepare(`SELECT COUNT(*) FROM api_messages a JOIN sends s ON s.id = a.send_id ${where}`).pluck().get(...params) as number;
    const rows = this.deps.db.prepare(`${SELECT} ${where} ORDER BY a.id DESC LIMIT ? OFFSET ?`).all(...params, filter.limit, filter.offset) as Row[];
    return { total, rows: rows.map((r) => this.view(r)) };
  }

  private view(row: Row): ApiMessage {
    const mapped = apiState(row.state);
    return {
      id: row.id,
      idempotencyKey: row.idem_key,
      state: mapped.state,
      reason: mapped.reason ?? row.reason,
      phone: row.phone,
      contactId: row.contact_id,
      numberId: row.number_id,
      text: row.text,
      hasMedia: row.media_id !== null,
      expectedAt: row.state === 'queued' ? this.deps.expectedAt(row.send_id) : null,
      createdAt: row.created_at,
      sentAt: row.sent_at,
      deliveredAt: row.delivered_at,
      readAt: row.read_at,
      messageId: row.message_id,
      replayed: false,
    };
  }
}
