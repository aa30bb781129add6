import { AppError } from '../core/app-error';
import { phoneOfWid, type DriverEvents } from '../whatsapp';
import { checkBrakes } from './brakes';
import type { EngineContext } from './engine-context';
import { judgeReply } from './opt-out';
import { isStopPromotions } from '../../shared/cloud';

/** A reply as stored, for whoever listens (the conversations' auto-replies). */
export type StoredReply = { id: number; numberId: string; phone: string | null; body: string; type: string; optOut: boolean; doubtful: boolean; at: number; campaignId: number | null };

type Link = { phone: string; contact_id: number; campaign_id: number; name: string | null };

/**
 * Messages contacts send back: stored once for the inbox, tied to the contact (through a LID when WhatsApp moved
 * them), and an opt-out is honoured at once, in every campaign.
 */
export class Replies {
  constructor(private readonly ctx: EngineContext) {}

  /** Received files being fetched: the engine's stop waits for them (no write after the database closes). */
  readonly saving = new Set<Promise<void>>();

  /** Told of each reply once it is stored (the conversations' auto-replies listen). */
  readonly listeners: ((reply: StoredReply) => void)[] = [];

  /** WhatsApp told which phone a LID chat belongs to: remembered, so its replies and opt-outs reach the contact. */
  learnLid(numberId: string, lid: string, phone: string): void {
    this.ctx.db
      .prepare('INSERT INTO wa_chats (chat_id, phone, number_id, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET phone = excluded.phone, seen_at = excluded.seen_at')
      .run(lid, phone, numberId, this.ctx.clock.now());
  }

  /** The contact's phone for a chat: the sender as the driver resolved it, a LID we learnt, or the chat id itself. */
  private phoneOf(message: DriverEvents['incoming'], numberId: string): string | null {
    if (message.phone) {
      if (message.chatId.endsWith('@lid')) this.learnLid(numberId, message.chatId, message.phone);
      return message.phone;
    }
    const known = this.ctx.db.prepare('SELECT phone FROM wa_chats WHERE chat_id = ?').pluck().get(message.chatId) as string | undefined;
    return known ?? phoneOfWid(message.chatId);
  }

  async onIncoming(numberId: string, message: DriverEvents['incoming']): Promise<void> {
    const { db, contacts, settings, bus } = this.ctx;
    // The chat we wrote to, or (someone not written to yet, or written to under their phone id) their latest send.
    // An answer from a chat (#33) is no campaign to credit the reply to: the campaign or API message before it is.
    const byChat = db
      .prepare("SELECT s.phone, s.contact_id, s.campaign_id, s.name FROM sends s JOIN campaigns c ON c.id = s.campaign_id AND c.kind != 'chat' WHERE s.chat_id = ? ORDER BY COALESCE(s.sent_at, 0) DESC LIMIT 1")
      .get(message.chatId) as Link | undefined;
    const phone = byChat?.phone ?? this.phoneOf(message, numberId);
    const link =
      byChat ??
      (phone ? (db.prepare("SELECT s.phone, s.contact_id, s.campaign_id, s.name FROM sends s JOIN campaigns c ON c.id = s.campaign_id AND c.kind != 'chat' WHERE s.phone = ? ORDER BY s.id DESC LIMIT 1").get(phone) as Link | undefined) : undefined);
    const config = settings.get();
    // Certain opt-outs are honoured at once; doubtful ones wait in the inbox for the user's one click.
    const judged = message.type === 'chat' ? judgeReply(message.body, config.optOutWords) : { verdict: 'none' as const, rule: null };
    const optOut = judged.verdict === 'opt_out';
    const doubt = judged.verdict === 'doubtful' && phone && !contacts.isOptedOut(phone) ? judged.rule : null;
    // Someone writing to this number for the first time takes their messages off its unanswered count.
    const firstWord = phone !== null && !this.ctx.unanswered.hasWritten(numberId, phone);
    const stored = db
      .prepare('INSERT OR IGNORE INTO incoming (number_id, chat_id, phone, contact_id, campaign_id, message_id, body, type, opt_out, doubt, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(numberId, message.chatId, phone, link?.contact_id ?? null, link?.campaign_id ?? null, message.messageId, message.body, message.type, optOut ? 1 : 0, doubt, message.at);
    // Seen already (live, or by an earlier catch-up): answered once, never twice.
    if (stored.changes === 0) return;
    if (firstWord && phone) this.ctx.unanswered.onFirstReply(numberId, phone);
    const id = Number(stored.lastInsertRowid);
    if (message.media) {
      const saving = this.saveMedia(numberId, id, message).finally(() => this.saving.delete(saving));
      this.saving.add(saving);
    }
    bus.emit('inbox.changed', { reason: optOut ? 'opt_out' : 'reply' });
    const reply: StoredReply = { id, numberId, phone, body: message.body, type: message.type, optOut, doubtful: doubt !== null, at: message.at, campaignId: link?.campaign_id ?? null };
    for (const listener of this.listeners) {
      try {
        listener(reply);
      } catch (error) {
        this.ctx.logger.warn({ err: error }, 'reply listener failed');
      }
    }
    if (link) this.ctx.events.push(link.campaign_id, { kind: optOut ? 'opt_out' : 'reply', phone: link.phone, name: link.name, detail: message.body.slice(0, 80) });
    // "Stop promotions" tapped on a marketing template: no marketing again, from this moment (#36).
    if (message.tap && phone && isStopPromotions(message.body, message.tap.payload)) {
      for (const campaignId of this.ctx.marketingOptOuts.add(phone, 'stop_promotions')) this.ctx.markDirty(campaignId);
      bus.emit('contacts.changed', { reason: 'opt_out' });
    }
    if (!optOut || !phone) return;
    // Confirmed once: someone already opted out who writes BAJA again gets no second "Listo" (#30 item 9).
    const already = contacts.isOptedOut(phone);
    this.honour(phone, 'contact', message.body, link?.campaign_id ?? null);
    if (config.optOutReplyEnabled && !already) {
      const driver = this.ctx.sessions.driver(numberId);
      await driver?.send(message.chatId, { text: config.optOutReply }).catch((error: unknown) => this.ctx.logger.warn({ err: error }, 'opt-out confirmation failed'));
    }
  }

  /**
   * A received photo, voice note or document: fetched from WhatsApp and kept in the data folder (beside the
   * attachments), then shown in the chat. A file WhatsApp no longer has, or one the app cannot name, leaves the
   * message without it.
   */
  private async saveMedia(numberId: string, incomingId: number, message: DriverEvents['incoming']): Promise<void> {
    const driver = this.ctx.sessions.driver(numberId);
    if (!driver?.downloadMedia) return;
    try {
      const file = await driver.downloadMedia({ chatId: message.chatId, messageId: message.messageId });
      if (!file) return;
      const stored = await this.ctx.media.addBytes(file.data, file.fileName ?? `${message.type}-${message.messageId}`);
      this.ctx.db.prepare('UPDATE incoming SET media_id = ? WHERE id = ?').run(stored.id, incomingId);
      this.ctx.bus.emit('inbox.changed', { reason: 'reply' });
    } catch (error) {
      this.ctx.logger.warn({ err: error, numberId }, 'received file not saved');
    }
  }

  /** An opt-out from a reply: recorded by phone, the contact's queued sends skipped everywhere, the brake looked at. */
  private honour(phone: string, actor: string, body: string, campaignId: number | null): void {
    const { contacts, repo, bus } = this.ctx;
    contacts.optOut(phone, 'reply', actor, body.slice(0, 200));
    for (const id of repo.outbox.skipPhone(phone, 'opted_out')) this.ctx.markDirty(id);
    bus.emit('contacts.changed', { reason: 'opt_out' });
    if (campaignId !== null) checkBrakes(this.ctx, campaignId);
  }

  /**
   * The user's verdict on a doubtful reply, from the inbox: an opt-out (as if the contact had written "BAJA"; no
   * confirmation is sent to them, it is the user's call) or not one. Either way the doubt is settled.
   */
  decide(incomingId: number, optOut: boolean): void {
    const { db, bus } = this.ctx;
    const row = db.prepare('SELECT phone, body, campaign_id, doubt FROM incoming WHERE id = ?').get(incomingId) as { phone: string | null; body: string; campaign_id: number | null; doubt: string | null } | undefined;
    if (!row) throw new AppError('not_found', `no reply ${incomingId}`, 'id');
    if (optOut && !row.phone) throw new AppError('invalid_input', 'the reply has no phone to opt out', 'id');
    db.prepare('UPDATE incoming SET doubt = NULL, opt_out = ?, handled = 1 WHERE id = ?').run(optOut ? 1 : 0, incomingId);
    if (optOut && row.phone) this.honour(row.phone, 'user', row.body, row.campaign_id);
    bus.emit('inbox.changed', { reason: optOut ? 'opt_out' : 'reply' });
  }
}
