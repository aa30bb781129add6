import crypto from 'node:crypto';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';
import type { CloudDriver } from './cloud-driver';
import { reasonOf } from './cloud-errors';
import type { CloudNumbersRepo } from './cloud-numbers-repo';
import type { CloudSecrets } from './cloud-secrets';
import type { CloudUsers, WebhookContact } from './cloud-users';

/** Meta's webhook payload (WebhookPayload in the spec), the parts the app reads; anything else is ignored. */
type Payload = { object?: string; entry?: { id?: string; changes?: { field?: string; value?: ChangeValue }[] }[] };
type ChangeValue = {
  metadata?: { phone_number_id?: string };
  contacts?: WebhookContact[];
  statuses?: {
    id: string;
    status: string;
    timestamp: string;
    /** The phone; absent for a user who hides it behind a username, who has `recipient_user_id` (their BSUID). */
    recipient_id?: string;
    recipient_user_id?: string;
    biz_opaque_callback_data?: string;
    errors?: { code?: number }[];
    pricing?: { category?: string };
  }[];
  messages?: IncomingMessage[];
};
type IncomingMessage = {
  /** The phone; absent for a user who hides it (then `from_user_id`, their BSUID, says who wrote). */
  from?: string;
  from_user_id?: string;
  id: string;
  timestamp: string;
  type: string;
  text?: { body?: string };
  button?: { text?: string; payload?: string };
  interactive?: { button_reply?: { id?: string; title?: string }; list_reply?: { title?: string } };
  image?: { caption?: string };
  video?: { caption?: string };
  document?: { caption?: string; filename?: string };
};

export type WebhookAnswer = { status: number; body: string };

/**
 * Meta's webhooks for Cloud numbers: the verification handshake (hub.challenge), and deliveries checked by their
 * X-Hub-Signature-256 with the app secret before anything is read. Meta retries a delivery until it gets a 200,
 * so each status and message is stored once by its id (the second copy changes nothing) and then handed to the
 * number's driver, which feeds the same receipt and reply paths as a linked phone.
 */
export class CloudWebhooks {
  private lastAt = new Map<string, number>();
  /** Prepared once, at the first delivery (each delivery carries a status or a message per contact). */
  private statements: { status: Statement; message: Statement } | undefined;

  constructor(
    private readonly deps: {
      db: Db;
      repo: CloudNumbersRepo;
      secrets: CloudSecrets;
      clock: Clock;
      logger: Logger;
      users: CloudUsers;
      driverOf: (numberId: string) => CloudDriver | undefined;
      /** Meta said the portfolio's limit changed: the number is checked again. */
      limitChanged?: (numberId: string) => void;
    },
  ) {}

  /** GET: Meta (or the user's relay) checks the URL with the verify token the app showed. */
  verify(query: URLSearchParams): WebhookAnswer {
    const token = query.get('hub.verify_token') ?? '';
    const known = this.deps.repo.all().some((a) => safeEqual(a.verify_token, token));
    if (query.get('hub.mode') !== 'subscribe' || !known) return { status: 403, body: 'forbidden' };
    return { status: 200, body: query.get('hub.challenge') ?? '' };
  }

  /** POST: one delivery, exactly as Meta sent it (the signature is over these bytes). */
  receive(raw: Buffer, signature: string | undefined): WebhookAnswer {
    const secrets = this.verifiedBy(raw, signature);
    if (secrets.size === 0) {
      this.deps.logger.warn({ signed: signature !== undefined }, 'cloud webhook refused: bad signature');
      return { status: 401, body: 'bad signature' };
    }
    let payload: Payload;
    try {
      payload = JSON.parse(raw.toString('utf8')) as Payload;
    } catch {
      return { status: 400, body: 'not JSON' };
    }
    if (payload.object !== 'whatsapp_business_account' || !Array.isArray(payload.entry)) return { status: 200, body: 'ignored' };
    // Signed is not well formed: every level is checked before it is read (an `entry: [null]` or `statuses: "x"`
    // threw inside the receiver and the delivery was never answered).
    for (const entry of objects(payload.entry)) {
      for (const change of objects((entry as { changes?: unknown }).changes) as NonNullable<(typeof payload.entry)[number]['changes']>) {
        // Meta changed the portfolio's messaging limit (Meta, "Messaging limits": a business_capability_update
        // webhook on the account): its numbers are asked again, the value's own fields are not relied upon.
        if (change.field === 'business_capability_update') {
          const waba = (entry as { id?: unknown }).id;
          for (const account of this.deps.repo.all()) if (account.waba_id === waba && secrets.has(account.number_id)) this.deps.limitChanged?.(account.number_id);
          continue;
        }
        if (change.field !== 'messages' || !change.value || typeof change.value !== 'object') continue;
        const account = this.deps.repo.byPhoneNumberId(change.value.metadata?.phone_number_id ?? '');
        // Only numbers whose own app secret signed this delivery.
        if (!account || !secrets.has(account.number_id)) continue;
        this.lastAt.set(account.number_id, this.deps.clock.now());
        this.apply(account.number_id, change.value);
      }
    }
    return { status: 200, body: 'ok' };
  }

  lastWebhookAt(numberId: string): number | null {
    return this.lastAt.get(numberId) ?? null;
  }

  private apply(numberId: string, value: ChangeValue): void {
    const { db, clock } = this.deps;
    const driver = this.deps.driverOf(numberId);
    this.statements ??= {
      status: db.prepare('INSERT OR IGNORE INTO cloud_statuses (message_id, number_id, status, at, recipient, callback, error_code, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      message: db.prepare('INSERT OR IGNORE INTO cloud_incoming (message_id, number_id, sender, body, type, at) VALUES (?, ?, ?, ?, ?, ?)'),
    };
    const { status: saveStatus, message: saveMessage } = this.statements;
    // Meta's contact book first: the phone ↔ BSUID pairs this delivery carries.
    for (const c of objects(value.contacts) as WebhookContact[]) this.deps.users.remember(c);
    for (const s of objects(value.statuses) as NonNullable<ChangeValue['statuses']>) {
      const recipient = text(s.recipient_id) ?? text(s.recipient_user_id);
      if (typeof s.id !== 'string' || typeof s.status !== 'string' || !recipient) continue;
      const at = seconds(s.timestamp) ?? clock.now();
      const code = s.errors?.[0]?.code ?? null;
      const fresh = saveStatus.run(s.id, numberId, s.status, at, recipient, s.biz_opaque_callback_data ?? null, code, s.pricing?.category?.toUpperCase() ?? null).changes > 0;
      if (fresh) driver?.receiveStatus({ messageId: s.id, status: s.status, at, errorCode: code, ...(s.status === 'failed' ? { reason: reasonOf(code).reason } : {}) });
    }
    for (const m of objects(value.messages) as NonNullable<ChangeValue['messages']>) {
      // Who wrote: their phone, or (a user who hides it) their BSUID — never dropped for having no phone.
      const sender = text(m.from) ?? text(m.from_user_id);
      if (typeof m.id !== 'string' || !sender || typeof m.type !== 'string') continue;
      if (m.from && m.from_user_id) this.deps.users.remember({ wa_id: m.from, user_id: m.from_user_id });
      const at = seconds(m.timestamp) ?? clock.now();
      const body = textOf(m);
      const type = m.type === 'text' || m.type === 'button' || m.type === 'interactive' ? 'chat' : m.type;
      const contact = this.deps.users.contactOf(sender);
      // Answers go where Meta said they wrote from (their wa_id), else to the phone paired with their BSUID, else
      // to the BSUID itself (Meta's `recipient`).
      const chatId = text(m.from) ?? this.deps.users.addressOf(contact);
      if (saveMessage.run(m.id, numberId, chatId, body, type, at).changes > 0) {
        driver?.receiveMessage({ messageId: m.id, chatId, body, type, at, phone: contact, ...tapOf(m) });
      }
    }
  }

  /** The numbers whose app secret signed these bytes (several numbers may share one Meta app). */
  private verifiedBy(raw: Buffer, signature: string | undefined): Set<string> {
    const match = /^sha256=([0-9a-f]{64})$/i.exec(signature?.trim() ?? '');
    const signed = new Set<string>();
    if (!match) return signed;
    const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
    for (const account of this.deps.repo.all()) {
      const secret = this.deps.secrets.get(account.number_id);
      if (!secret) continue;
      const expected = crypto.createHmac('sha256', secret.appSecret).update(raw).digest();
      if (crypto.timingSafeEqual(expected, given)) signed.add(account.number_id);
    }
    return signed;
  }
}

/** What a contact wrote, as the inbox shows it: the text, a button's label, or a file's caption. */
function textOf(m: IncomingMessage): string {
  return m.text?.body ?? m.button?.text ?? m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? m.image?.caption ?? m.video?.caption ?? m.document?.caption ?? m.document?.filename ?? '';
}

/** A tapped button: a template's quick reply (`button`, its payload) or an interactive message's (`button_reply`, its id). */
export function tapOf(m: IncomingMessage): { tap?: { payload: string | null } } {
  if (m.type === 'button') return { tap: { payload: m.button?.payload ?? null } };
  if (m.type === 'interactive' && m.interactive?.button_reply) return { tap: { payload: m.interactive.button_reply.id ?? null } };
  return {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

function seconds(timestamp: string | undefined): number | null {
  const n = Number(timestamp);
  return Number.isFinite(n) && n > 0 ? n * 1000 : null;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** The objects of what should be an array of objects; anything else reads as none. */
function objects(value: unknown): object[] {
  return Array.isArray(value) ? value.filter((item): item is object => item !== null && typeof item === 'object') : [];
}
