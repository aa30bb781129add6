import { phoneOfWid, type DriverEvents } from '../whatsapp';
import { checkBrakes } from './brakes';
import type { EngineContext } from './engine-context';
import { isOptOut } from './opt-out';

type Link = { phone: string; contact_id: number; campaign_id: number; name: string | null };

/**
 * Messages contacts send back: stored once for the inbox, tied to the contact (through a LID when WhatsApp moved
 * them), and an opt-out is honoured at once, in every campaign.
 */
export class Replies {
  constructor(private readonly ctx: EngineContext) {}

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
    const { db, contacts, settings, bus, repo } = this.ctx;
    // The chat we wrote to, or (someone not written to yet, or written to under their phone id) their latest send.
    const byChat = db.prepare('SELECT phone, contact_id, campaign_id, name FROM sends WHERE chat_id = ? ORDER BY COALESCE(sent_at, 0) DESC LIMIT 1').get(message.chatId) as Link | undefined;
    const phone = byChat?.phone ?? this.phoneOf(message, numberId);
    const link = byChat ?? (phone ? (db.prepare('SELECT phone, contact_id, campaign_id, name FROM sends WHERE phone = ? ORDER BY id DESC LIMIT 1').get(phone) as Link | undefined) : undefined);
    const config = settings.get();
    const optOut = message.type === 'chat' && isOptOut(message.body, config.optOutWords);
    const stored = db
      .prepare('INSERT OR IGNORE INTO incoming (number_id, chat_id, phone, contact_id, campaign_id, message_id, body, type, opt_out, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(numberId, message.chatId, phone, link?.contact_id ?? null, link?.campaign_id ?? null, message.messageId, message.body, message.type, optOut ? 1 : 0, message.at);
    // Seen already (live, or by an earlier catch-up): answered once, never twice.
    if (stored.changes === 0) return;
    bus.emit('inbox.changed', { reason: optOut ? 'opt_out' : 'reply' });
    if (link) this.ctx.events.push(link.campaign_id, { kind: optOut ? 'opt_out' : 'reply', phone: link.phone, name: link.name, detail: message.body.slice(0, 80) });
    if (!optOut || !phone) return;
    contacts.optOut(phone, 'reply', 'contact', message.body.slice(0, 200));
    for (const campaignId of repo.outbox.skipPhone(phone, 'opted_out')) this.ctx.markDirty(campaignId);
    bus.emit('contacts.changed', { reason: 'opt_out' });
    if (link) checkBrakes(this.ctx, link.campaign_id);
    if (config.optOutReplyEnabled) {
      const driver = this.ctx.sessions.driver(numberId);
      await driver?.send(message.chatId, { text: config.optOutReply }).catch((error: unknown) => this.ctx.logger.warn({ err: error }, 'opt-out confirmation failed'));
    }
  }
}
