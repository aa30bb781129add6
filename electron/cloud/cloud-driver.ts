import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Db } from '../db';
import {
  DriverEmitter,
  DriverError,
  type AckState,
  type DriverEventName,
  type DriverEvents,
  type FoundMessage,
  type OutgoingMessage,
  type SendMarker,
  type SentRef,
  type Unsubscribe,
  type WhatsAppDriver,
} from '../whatsapp/driver';
import { isAccountError, sendError } from './cloud-errors';
import { GraphError, type GraphClient } from './graph-client';
import type { CloudNumbersRepo } from './cloud-numbers-repo';
import type { CloudUsers } from './cloud-users';

const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * A number on WhatsApp's official Cloud API, behind the same interface as a linked phone. There is no browser and
 * no lookup of who is on WhatsApp (a send to someone who is not fails later with 131026, by webhook); receipts and
 * replies arrive as webhooks (CloudWebhooks hands them here), and what the webhooks said is kept in SQLite, so
 * a restart catches up and a crash finds what went out by the send id each message carries.
 */
export class CloudDriver implements WhatsAppDriver {
  private readonly emitter = new DriverEmitter();
  private state: 'stopped' | 'connecting' | 'connected' | 'error' = 'stopped';

  constructor(
    private readonly deps: { numberId: string; db: Db; repo: CloudNumbersRepo; graph: GraphClient | null; clock: Clock; logger: Logger; users: CloudUsers },
  ) {}

  on<E extends DriverEventName>(event: E, listener: (payload: DriverEvents[E]) => void): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /** Checks the account against the API (its name, quality rating and tier) and connects; never waits for a QR. */
  async start(): Promise<void> {
    const { graph, repo, numberId, clock } = this.deps;
    this.setState('connecting');
    const account = repo.get(numberId);
    if (!graph || !account) return this.fail('cloud_auth', 'the token of this number is missing');
    try {
      const info = await graph.phoneNumber(account.phone_number_id);
      repo.saveCheck(numberId, info, clock.now());
      // The portfolio whose limit this is; a token that may not read it leaves the last one known.
      const portfolio = await graph.account(account.waba_id).catch(() => null);
      if (portfolio) repo.savePortfolio(numberId, portfolio);
      this.emitter.emit('ready', { phone: toE164(info.display_phone_number ?? account.display_phone ?? ''), name: info.verified_name ?? null });
      this.setState('connected');
    } catch (error) {
      this.failFrom(error);
    }
  }

  /** The Cloud API sends to a phone number as is (digits with the country code); nobody is looked up first. */
  async resolve(e164: string): Promise<string | null> {
    this.requireConnected();
    return this.deps.users.addressOf(e164);
  }

  async send(chatId: string, content: OutgoingMessage): Promise<{ messageId: string; at: number }> {
    this.requireConnected();
    const { graph, repo, numberId, clock } = this.deps;
    const account = repo.get(numberId);
    if (!graph || !account) throw new DriverError('not_connected', 'the number has no account');
    const { template } = content;
    try {
      // Without a template: an answer inside the 24 h after the person wrote (the opt-out confirmation); a
      // business-initiated message is always a template (the campaign checks make sure of it).
      if (!template) return { messageId: (await graph.sendText(account.phone_number_id, chatId, content.text)).messageId, at: clock.now() };
      let header: { kind: 'image' | 'video' | 'document'; mediaId: string; fileName?: string } | undefined;
      if (template.header === 'image' || template.header === 'video' || template.header === 'document') {
        if (!content.media) throw new DriverError('cloud_template', 'the template has a media header and the campaign no attachment');
        header = { kind: template.header, mediaId: await this.uploaded(account.phone_number_id, content.media), ...(template.header === 'document' ? { fileName: content.media.fileName } : {}) };
      }
      const cards = [];
      for (const file of template.cards ?? []) cards.push({ kind: file.kind === 'video' ? ('video' as const) : ('image' as const), mediaId: await this.uploaded(account.phone_number_id, file) });
      const sent = await graph.sendTemplate(account.phone_number_id, {
        to: chatId,
        name: template.name,
        language: template.language,
        body: template.params,
        header,
        callback: template.callback,
        ...(template.buttons?.length ? { buttons: template.buttons } : {}),
        ...(cards.length ? { cards } : {}),
      });
      return { messageId: sent.messageId, at: clock.now() };
    } catch (error) {
      if (error instanceof DriverError) throw error;
      const mapped = sendError(error);
      if (isAccountError(mapped.code)) {
        // The token or the account is the problem: the number says so, and the send waits for it, not counted.
        this.fail(mapped.code, (error as Error).message);
        throw new DriverError('not_connected', mapped.message);
      }
      throw mapped;
    }
  }

  /** After a crash: a status webhook for this send's id says it went out; none yet cannot tell (in doubt). */
  async findSent(_chatId: string, marker: SendMarker): Promise<FoundMessage | null> {
    if (marker.sendId === undefined) throw new DriverError('unknown', 'no send id to look for');
    const found = this.deps.db
      .prepare('SELECT message_id FROM cloud_statuses WHERE number_id = ? AND callback = ? LIMIT 1')
      .pluck()
      .get(this.deps.numberId, callbackOf(marker.sendId)) as string | undefined;
    if (found) return { messageId: found };
    throw new DriverError('unknown', 'Meta has not said whether this message went out');
  }

  async ackStates(messages: SentRef[]): Promise<Map<string, AckState>> {
    const states = new Map<string, AckState>();
    const statement = this.deps.db.prepare('SELECT status FROM cloud_statuses WHERE message_id = ?').pluck();
    for (const { messageId } of messages) {
      const best = (statement.all(messageId) as string[]).sort((a, b) => (RANK[b] ?? 0) - (RANK[a] ?? 0))[0];
      if (best) states.set(messageId, best === 'failed' ? 'error' : (best as AckState));
    }
    return states;
  }

  async recentIncoming(since: number): Promise<DriverEvents['incoming'][]> {
    const rows = this.deps.db
      .prepare('SELECT message_id, sender, body, type, at FROM cloud_incoming WHERE number_id = ? AND at > ? ORDER BY at')
      .all(this.deps.numberId, since) as { message_id: string; sender: string; body: string; type: string; at: number }[];
    return rows.map((r) => ({ messageId: r.message_id, chatId: r.sender, body: r.body, type: r.type, at: r.at, phone: this.deps.users.contactOf(r.sender) }));
  }

  /** What a webhook said about one of this number's messages (already stored by CloudWebhooks). */
  receiveStatus(status: { messageId: string; status: string; at: number; errorCode: number | null; reason?: DriverEvents['ack']['reason'] }): void {
    const ack: AckState | null = status.status === 'failed' ? 'error' : status.status === 'sent' || status.status === 'delivered' || status.status === 'read' ? status.status : null;
    if (ack) this.emitter.emit('ack', { messageId: status.messageId, ack, at: status.at, ...(status.reason ? { reason: status.reason } : {}) });
  }

  receiveMessage(message: DriverEvents['incoming']): void {
    this.emitter.emit('incoming', message);
  }

  /** A Cloud number has no device to unlink: the account stays Meta's; the app forgets the token (CloudAccounts). */
  async logout(): Promise<void> {
    this.setState('stopped');
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
  }

  private requireConnected(): void {
    if (this.state !== 'connected') throw new DriverError('not_connected', 'the Cloud number is not connected');
  }

  private failFrom(error: unknown): void {
    if (error instanceof GraphError && error.network) return this.fail('network', error.message);
    // A wrong id, a revoked token, an unpaid account: the number stays in error with Meta's words until a retry.
    this.fail(sendError(error).code, (error as Error).message);
  }

  private fail(code: NonNullable<DriverEvents['state']['error']>, detail: string): void {
    this.deps.logger.warn({ numberId: this.deps.numberId, code, detail }, 'cloud number not connected');
    this.state = 'error';
    this.emitter.emit('state', { state: 'error', error: code, detail });
  }

  private setState(state: 'stopped' | 'connecting' | 'connected'): void {
    this.state = state;
    this.emitter.emit('state', { state });
  }

  /** Each file is uploaded to Meta once per number and its id reused (Meta keeps uploads 30 days; 25 to be safe). */
  private async uploaded(phoneNumberId: string, media: NonNullable<OutgoingMessage['media']>): Promise<string> {
    const { db, numberId, clock, graph } = this.deps;
    const known = db.prepare('SELECT graph_id, uploaded_at FROM cloud_media WHERE number_id = ? AND media_id = ?').get(numberId, media.path) as { graph_id: string; uploaded_at: number } | undefined;
    if (known && clock.now() - known.uploaded_at < 25 * 86_400_000) return known.graph_id;
    const id = await graph!.uploadMedia(phoneNumberId, media);
    db.prepare('INSERT INTO cloud_media (number_id, media_id, graph_id, uploaded_at) VALUES (?, ?, ?, ?) ON CONFLICT (number_id, media_id) DO UPDATE SET graph_id = excluded.graph_id, uploaded_at = excluded.uploaded_at').run(
      numberId,
      media.path,
      id,
      clock.now(),
    );
    return id;
  }
}

/** The id each Cloud send carries as `biz_opaque_callback_data`. */
export function callbackOf(sendId: number): string {
  return `whatzme:${sendId}`;
}

export function sendIdOf(callback: string | null | undefined): number | null {
  const match = /^whatzme:(\d+)$/.exec(callback ?? '');
  return match ? Number(match[1]) : null;
}

function toE164(display: string): string {
  const digits = display.replace(/\D/g, '');
  return digits ? `+${digits}` : '';
}
