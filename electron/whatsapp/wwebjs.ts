import {
  DriverError,
  type AckState,
  type DriverEvents,
  type OutgoingMessage,
  type FoundMessage,
  type IncomingMedia,
  type SendMarker,
  type SentRef,
  type WhatsAppDriver,
} from './driver';
import { READ_LIMITS, limitsOf } from './wweb/limits-reader';
import type { WaLimits } from '../../shared/wa-limits';
import { isRetryableAfterLoad, loadModuleSource, unknownModuleOf, type LoadOutcome } from './wweb/lazy-modules';
import { isCrash, isNoLid, mapAck } from './wwebjs-mapping';
import { readMessageKey, widText } from './wweb/message-key';
import { phoneOfWid } from './wweb/wids';
import { captionless, mediaOptions } from './wweb/media';
import { chatList, chatMessages, type PageCall } from './wweb/chats';
import { WwebSession } from './wweb/wweb-session';
import type { WwebClient, WwebMessage } from './wweb/client-types';
import { createRealMedia, withTimeout } from './wweb/real-client';

export type { WwebClient, WwebClientOptions, WwebDriverConfig, WwebMessage } from './wweb/client-types';

/** The real driver: WhatsApp Web in a headless Chrome/Edge/Chromium already on the user's machine. */
export class WwebDriver extends WwebSession implements WhatsAppDriver {
  private chatIds = new Map<string, string>();
  /** LID → phone, as WhatsApp tells it (incoming messages, lookups): replies from a LID chat reach the contact. */
  private lids = new Map<string, string>();
  async resolve(e164: string): Promise<string | null> {
    const cached = this.chatIds.get(e164);
    if (cached) return cached;
    const client = this.connectedClient();
    const wid = widText(await this.call('resolve', () => client.getNumberId(e164.replace(/\D/g, ''))));
    if (!wid) return null;
    this.chatIds.set(e164, wid);
    if (wid.endsWith('@lid')) this.learnLid(wid, e164);
    return wid;
  }

  async send(chatId: string, content: OutgoingMessage): Promise<{ messageId: string; at: number; chatId?: string }> {
    const client = this.connectedClient();
    const payload = content.media
      ? await (this.config.createMedia ?? createRealMedia)(content.media.path, content.media.mimeType, content.media.fileName)
      : content.text;
    const options = mediaOptions(content);
    let used = chatId;
    let message: WwebMessage | undefined;
    try {
      message = await this.sendOnceLoading(client, chatId, payload, options);
    } catch (error) {
      if (!isNoLid(error)) throw this.sendError(error);
      // WhatsApp moved this contact to a LID and wants it: asked of WhatsApp's contact store (getContactLidAndPhone),
      // not of getNumberId, which answers with the same phone id (Client.js; wwebjs 145434, 129506; OpenWA 156).
      // Without a LID the message did not go out and is tried again later: never "not on WhatsApp" from this.
      const fresh = await this.lidOf(chatId);
      if (!fresh) throw new DriverError('no_lid', 'No LID for user, and WhatsApp gave no LID for this contact', false);
      used = fresh;
      try {
        message = await this.sendOnceLoading(client, fresh, payload, options);
      } catch (retryError) {
        throw this.sendError(retryError);
      }
    }
    // WhatsApp shows no caption on audio, voice notes or stickers: the text follows as its own message, and it is
    // the one the outbox tracks (findSent looks for it by its text), whatever the media's own answer was.
    if (content.media && captionless(content.media.kind) && content.text.trim() !== '') {
      const chat = readMessageKey(message?.id)?.remote ?? used;
      try {
        return this.sentResult(await this.sendOnce(client, chat, content.text, { sendSeen: false }), chat);
      } catch (error) {
        throw this.sendError(error);
      }
    }
    return this.sentResult(message, used);
  }

  /** WhatsApp's limits on reaching new people, read in the page (wweb/limits-reader.ts). */
  async limits(): Promise<WaLimits> {
    const client = this.connectedClient();
    if (!client.pupPage) return { cap: null, timelock: null, readAt: this.config.clock.now() };
    const raw = await this.call('limits', () => client.pupPage!.evaluate(READ_LIMITS));
    return limitsOf(raw, this.config.clock.now());
  }

  async findSent(chatId: string, marker: SendMarker): Promise<FoundMessage | null> {
    const client = this.connectedClient();
    let recent: WwebMessage[];
    try {
      recent = await this.call('findSent', async () => (await client.getChatById(chatId)).fetchMessages({ limit: 50, fromMe: true }));
    } catch (error) {
      throw new DriverError('unknown', `could not read the chat: ${error instanceof Error ? error.message : String(error)}`);
    }
    // WhatsApp timestamps are whole seconds and the phone's clock may drift: allow a little slack.
    const matches = recent.filter((m) => m.fromMe && m.body === marker.text && m.timestamp * 1000 >= marker.after - 5000);
    if (matches.length === 0) return null;
    const key = readMessageKey(matches[matches.length - 1]?.id);
    // It is there but its id cannot be read: that is "cannot tell" (in doubt), never "not sent".
    if (!key) throw new DriverError('unknown', 'the message is in the chat but its id could not be read');
    return { messageId: key.id, ...(key.remote && key.remote !== chatId ? { chatId: key.remote } : {}) };
  }

  async ackStates(messages: SentRef[]): Promise<Map<string, AckState>> {
    const client = this.connectedClient();
    const byChat = new Map<string, Set<string>>();
    for (const m of messages) byChat.set(m.chatId, (byChat.get(m.chatId) ?? new Set()).add(m.messageId));
    const states = new Map<string, AckState>();
    for (const [chatId, ids] of byChat) {
      // Chat by chat: one that WhatsApp Web cannot give (undefined, "No LID for user", a broken key) leaves its
      // receipts for the next catch-up and does not stop the others' (Client.js getChatById; OpenWA 757).
      const recent = await chatMessages(client, this.pageCall, this.config.logger, chatId, { limit: 100, fromMe: true });
      if (!recent) continue;
      for (const m of recent) {
        const key = readMessageKey(m.id);
        if (key && ids.has(key.id) && typeof m.ack === 'number') states.set(key.id, mapAck(m.ack));
      }
    }
    return states;
  }

  async recentIncoming(since: number): Promise<DriverEvents['incoming'][]> {
    const client = this.connectedClient();
    const unread: string[] = [];
    const found: DriverEvents['incoming'][] = [];
    for (const chat of await chatList(client, this.pageCall, this.config.logger)) {
      if (chat.isGroup || !/@(c\.us|lid)$/.test(chat.id)) continue;
      if (chat.timestamp * 1000 <= since || chat.unreadCount === 0) continue;
      const messages = await chatMessages(client, this.pageCall, this.config.logger, chat.id, { limit: Math.min(50, chat.unreadCount + 5) });
      if (!messages) {
        // By chat id and, where WhatsApp told us, by phone: the outbox may know the contact by either.
        unread.push(chat.id);
        // A LID chat's phone from WhatsApp's contact store when this run has not met it yet (after a restart, the
        // campaign resolves the contact by phone: found on the double, the unreadable chat got the next send).
        const phone = chat.id.endsWith('@lid') ? await this.phoneOfLid(chat.id) : phoneOfWid(chat.id);
        if (phone) unread.push(phone);
        continue;
      }
      for (const m of messages) {
        if (m.fromMe || m.timestamp * 1000 <= since) continue;
        const incoming = await this.incomingOf(m);
        if (incoming) found.push(incoming);
      }
    }
    this.unread = unread;
    if (unread.length > 0) this.config.logger.warn({ numberId: this.config.numberId, chats: unread.length }, 'catch-up could not read some chats: nothing is sent to them until it can');
    return found.sort((a, b) => a.at - b.at);
  }

  unreadChats(): string[] {
    return this.unread;
  }

  private unread: string[] = [];

  /** `call`, as the chat readers in wweb/chats.ts take it. */
  private readonly pageCall: PageCall = (what, fn) => this.call(what, fn);

  /** A message from a person (not a group, status or channel) as an incoming event, its LID resolved to a phone. */
  protected async incomingOf(message: WwebMessage): Promise<DriverEvents['incoming'] | null> {
    const from = widText(message?.from);
    if (!from || message.fromMe || !/@(c\.us|lid)$/.test(from)) return null;
    const key = readMessageKey(message.id);
    if (!key) {
      this.config.logger.warn({ numberId: this.config.numberId }, 'incoming message without a readable id');
      return null;
    }
    const phone = from.endsWith('@lid') ? await this.phoneOfLid(from) : phoneOfWid(from);
    if (message.hasMedia) this.keepForDownload(key.id, message);
    return { messageId: key.id, chatId: from, body: message.body ?? '', type: message.type, at: message.timestamp * 1000, phone, ...(message.hasMedia ? { media: true } : {}) };
  }

  /** Received messages with a file, kept (the latest few hundred) until the app downloads their file. */
  private withMedia = new Map<string, WwebMessage>();

  private keepForDownload(id: string, message: WwebMessage): void {
    this.withMedia.set(id, message);
    if (this.withMedia.size > 300) this.withMedia.delete(this.withMedia.keys().next().value as string);
  }

  async downloadMedia(ref: { chatId: string; messageId: string }): Promise<IncomingMedia | null> {
    const message = this.withMedia.get(ref.messageId);
    if (!message?.downloadMedia) return null;
    const media = await this.call('media', () => message.downloadMedia!());
    this.withMedia.delete(ref.messageId);
    // whatsapp-web.js answers undefined when WhatsApp no longer has the file (expired or still re-uploading).
    return media?.data ? { data: Buffer.from(media.data, 'base64'), mimeType: media.mimetype, fileName: media.filename ?? null } : null;
  }

  /**
   * Blue ticks and "typing…" are courtesies: bounded in time, and never counted as a sign of a WhatsApp Web change
   * (a renamed WAWebChatStateBridge must not stop a number that sends fine).
   */
  private async courtesy(what: string, fn: () => Promise<unknown>): Promise<void> {
    const ms = Math.min(this.config.callTimeoutMs ?? 60_000, 15_000);
    await withTimeout(fn(), ms, `${what} did not answer within ${ms} ms`);
  }

  async markRead(chatId: string): Promise<void> {
    const client = this.client;
    if (!client?.sendSeen || this.state !== 'connected') return;
    await this.courtesy('seen', () => client.sendSeen!(chatId));
  }

  async typing(chatId: string): Promise<void> {
    const client = this.client;
    if (!client || this.state !== 'connected') return;
    await this.courtesy('typing', async () => {
      const chat = await client.getChatById(chatId);
      await chat.sendStateTyping?.();
    });
  }

  private async phoneOfLid(lid: string): Promise<string | null> {
    const known = this.lids.get(lid);
    if (known) return known;
    const client = this.client;
    if (!client?.getContactLidAndPhone) return null;
    try {
      const [entry] = await this.call('lid', () => (client.getContactLidAndPhone as (ids: string[]) => Promise<{ lid?: string; pn?: string }[]>)([lid]));
      const phone = entry?.pn ? phoneOfWid(entry.pn) : null;
      if (phone) this.learnLid(lid, phone);
      return phone;
    } catch (error) {
      this.config.logger.warn({ err: error }, 'LID not resolved to a phone');
      return null;
    }
  }

  private learnLid(lid: string, phone: string): void {
    if (this.lids.get(lid) === phone) return;
    this.lids.set(lid, phone);
    this.emitter.emit('lid', { lid, phone });
  }

  private async sendOnce(client: WwebClient, chatId: string, payload: unknown, options: Record<string, unknown>): Promise<WwebMessage | undefined> {
    return this.call('send', () => client.sendMessage(chatId, payload, options), true);
  }

  /**
   * A send that met a module of a bundle WhatsApp Web had not fetched yet (wa-js 3582): the bundle is asked for and,
   * when the module was one needed before the message exists, the send is tried once more. A module still unknown
   * after that is gone: the error stands, a sign of a WhatsApp Web change (found on the double's `lazyModules`).
   */
  private async sendOnceLoading(client: WwebClient, chatId: string, payload: unknown, options: Record<string, unknown>): Promise<WwebMessage | undefined> {
    try {
      return await this.sendOnce(client, chatId, payload, options);
    } catch (error) {
      const missing = unknownModuleOf(error);
      if (!missing || !isRetryableAfterLoad(missing) || !client.pupPage) throw error;
      const outcome = (await this.call('loadModule', () => client.pupPage!.evaluate(loadModuleSource(missing))).catch(() => 'absent')) as LoadOutcome;
      this.config.logger.info({ numberId: this.config.numberId, module: missing, outcome }, 'a module WhatsApp Web loads on demand');
      if (outcome !== 'registered') throw error;
      return this.sendOnce(client, chatId, payload, options);
    }
  }

  /** A send that resolved with no message, or with no readable id, went out as far as we can tell: maybe sent. */
  private sentResult(message: WwebMessage | undefined, chatId: string): { messageId: string; at: number; chatId: string } {
    const key = readMessageKey(message?.id);
    if (!message || !key) throw new DriverError('send_failed', 'WhatsApp took the message but returned no id', true);
    // The key names the chat it is really in: a LID one when WhatsApp moved the contact.
    return { messageId: key.id, at: (message.timestamp || Math.floor(this.config.clock.now() / 1000)) * 1000, chatId: key.remote ?? chatId };
  }

  /** The contact's LID as WhatsApp's contact store has it (`enforceLidAndPnRetrieval`), remembered for next time. */
  private async lidOf(chatId: string): Promise<string | null> {
    const client = this.connectedClient();
    if (chatId.endsWith('@lid') || !client.getContactLidAndPhone) return null;
    let entry: { lid?: string; pn?: string } | undefined;
    try {
      [entry] = await this.call('lid', () => (client.getContactLidAndPhone as (ids: string[]) => Promise<{ lid?: string; pn?: string }[]>)([chatId]));
    } catch (error) {
      this.config.logger.warn({ err: error }, 'no LID for a contact that needs one');
      return null;
    }
    const lid = entry?.lid;
    if (!lid || !lid.endsWith('@lid')) return null;
    for (const [e164, id] of this.chatIds) if (id === chatId) this.chatIds.set(e164, lid);
    const phone = phoneOfWid(chatId);
    if (phone) this.learnLid(lid, phone);
    return lid;
  }

  private sendError(error: unknown): DriverError {
    if (error instanceof DriverError) return error;
    if (isCrash(error)) this.noteCrash(error);
    // An error thrown by sendMessage may come after the message went out: never retry without findSent.
    return new DriverError('send_failed', error instanceof Error ? error.message : String(error), true);
  }
}
