import path from 'node:path';
import { findBrowser } from './browser-finder';
import {
  DriverEmitter,
  DriverError,
  type AckState,
  type DriverEventName,
  type DriverEvents,
  type NumberState,
  type OutgoingMessage,
  type FoundMessage,
  type IncomingMedia,
  type SendMarker,
  type SentRef,
  type Unsubscribe,
  type WhatsAppDriver,
} from './driver';
import { READ_LIMITS, limitsOf } from './wweb/limits-reader';
import type { WaLimits } from '../../shared/wa-limits';
import { isRetryableAfterLoad, loadModuleSource, unknownModuleOf, type LoadOutcome } from './wweb/lazy-modules';
import { classifyStartError, isCrash, isNoLid, isWhatsAppChange, mapAck, mapDisconnect, mapWaState } from './wwebjs-mapping';
import { setTimeout as sleep } from 'node:timers/promises';
import { readMessageKey, widText } from './wweb/message-key';
import { whatsAppWebShim, type ShimReport } from './wweb/page-shim';
import { clearStaleProfileLocks, isAlive, killTree, removeWithRetry } from './wweb/process-tree';
import { endProfileOrphans, liveLockHolder, profileProcesses } from './wweb/orphans';
import { phoneOfWid } from './wweb/wids';
import { captionless, mediaOptions } from './wweb/media';
import { chatList, chatMessages, type PageCall } from './wweb/chats';
import { PageWatchers } from './wweb/page-watchers';
import type { WwebClient, WwebDriverConfig, WwebMessage } from './wweb/client-types';
import { browserArgs, createRealClient, createRealMedia, textOfError, withTimeout } from './wweb/real-client';

export type { WwebClient, WwebClientOptions, WwebDriverConfig, WwebMessage } from './wweb/client-types';

/** How long a number waits, at most, for WhatsApp Web's capping listener to be in the page before it is connected. */
const WATCH_LIMITS_WAIT_MS = 10_000;
const ENDED_MEANWHILE = new Set<NumberState>(['stopped', 'logged_out', 'banned', 'conflict', 'wa_changed', 'error']);

/** The real driver: WhatsApp Web in a headless Chrome/Edge/Chromium already on the user's machine. */
export class WwebDriver implements WhatsAppDriver {
  private emitter = new DriverEmitter();
  private client: WwebClient | undefined;
  private stopping = false;
  /** The library destroys the client itself after a ban, unlink or conflict: its browser's exit is no crash. */
  private ended = false;
  private chatIds = new Map<string, string>();
  /** LID → phone, as WhatsApp tells it (incoming messages, lookups): replies from a LID chat reach the contact. */
  private lids = new Map<string, string>();
  private state: NumberState = 'stopped';
  private readyTimer: NodeJS.Timeout | undefined;
  private lastShim: ShimReport | null = null;

  private readonly watchers: PageWatchers;

  constructor(private readonly config: WwebDriverConfig) {
    this.watchers = new PageWatchers({
      numberId: config.numberId,
      visible: config.visible,
      logger: config.logger,
      current: () => this.client,
      state: () => this.state,
      ending: () => this.ended || this.stopping,
      setState: (state) => this.setState(state),
      armReadyWatchdog: () => this.armReadyWatchdog(),
      clearReadyWatchdog: () => this.clearReadyWatchdog(),
      noteCrash: (reason) => this.noteCrash(reason),
      emitLimits: () => this.emitter.emit('limits', {}),
    });
  }

  on<E extends DriverEventName>(event: E, listener: (payload: DriverEvents[E]) => void): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  webVersion(): string | null {
    return this.lastShim?.build ?? null;
  }

  /** What the compatibility shim found in the page the last time it ran (diagnostics). */
  get shimReport(): ShimReport | null {
    return this.lastShim;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.ended = false;
    this.setState('connecting');
    const executablePath = (this.config.browserPath ?? (() => findBrowser()))();
    if (!executablePath) {
      this.setState('error', 'browser_not_found');
      throw new DriverError('browser_not_found', 'no Chrome, Edge or Chromium found');
    }
    // A browser a killed app left on this profile is ended first; a lock still held by a live browser on it is
    // never removed (that would put a second WhatsApp Web client on the same session).
    const orphans = endProfileOrphans(this.profileDir());
    if (orphans.length > 0) {
      this.config.logger.warn({ numberId: this.config.numberId, orphans }, 'ended browsers left on this profile by an earlier run');
      for (let i = 0; i < 40 && profileProcesses(this.profileDir()).length > 0; i++) await sleep(50);
    }
    const holder = liveLockHolder(this.profileDir());
    if (holder !== undefined) {
      this.setState('error', 'browser_failed');
      throw new DriverError('browser_failed', `the profile is in use by a browser that could not be ended (pid ${holder})`);
    }
    const removed = clearStaleProfileLocks(this.profileDir());
    if (removed.length > 0) this.config.logger.warn({ numberId: this.config.numberId, removed }, 'removed stale browser profile locks');
    const client = await (this.config.createClient ?? createRealClient)({
      numberId: this.config.numberId,
      sessionsDir: this.config.sessionsDir,
      cacheDir: this.config.cacheDir,
      executablePath,
      args: [...browserArgs(), ...(this.config.extraBrowserArgs ?? [])],
      headless: !this.config.visible,
    });
    this.client = client;
    this.wire(client);
    const timeoutMs = this.config.startTimeoutMs ?? 90_000;
    try {
      this.initializing = client;
      await withTimeout(client.initialize(), timeoutMs, `WhatsApp Web did not open within ${timeoutMs} ms`).finally(() => {
        if (this.initializing === client) this.initializing = undefined;
      });
    } catch (error) {
      // Stopped while it was starting: the stop said what the state is; this failure is only its echo.
      if (this.stopping || this.client !== client) throw new DriverError('not_connected', 'stopped while starting');
      const code = error instanceof DriverError ? error.code : classifyStartError(error);
      this.config.logger.warn({ numberId: this.config.numberId, err: error, code }, 'WhatsApp Web failed to start');
      await this.teardown();
      this.setState('error', code, error instanceof Error ? error.message : String(error));
      throw new DriverError(code, error instanceof Error ? error.message : String(error));
    }
    this.watchers.watchBrowser(client);
    this.watchers.watchReloads(client);
    await this.watchers.watchPasskeysOnce(client);
    // initialize() returns before `ready`: with a saved session and no QR, `ready` must follow within its limit.
    if (this.state !== 'qr' && this.state !== 'connected') this.armReadyWatchdog();
  }

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

  /** Links by phone number instead of a QR: the 8-character code the user types on their phone. */
  async requestPairingCode(e164: string): Promise<string> {
    const client = this.client;
    if (!client?.requestPairingCode || this.state !== 'qr') throw new DriverError('not_connected', 'pairing needs the number to be waiting for a link');
    const code = await this.call('pairingCode', () => (client.requestPairingCode as (p: string, n: boolean) => Promise<string>)(e164.replace(/\D/g, ''), true));
    return String(code);
  }

  async logout(): Promise<void> {
    const client = this.client;
    this.stopping = true;
    if (client) {
      await withTimeout(client.logout(), this.config.stopTimeoutMs ?? 10_000, 'logout timed out').catch((error: unknown) => {
        this.config.logger.warn({ err: error }, 'logout failed; removing the session anyway');
      });
    }
    await this.teardown();
    await removeWithRetry(this.profileDir()).catch((error: unknown) => this.config.logger.warn({ err: error }, 'session folder not removed'));
    this.setState('logged_out');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.teardown();
    this.setState('stopped');
  }

  private profileDir(): string {
    return path.join(this.config.sessionsDir, `session-${this.config.numberId}`);
  }

  private wire(client: WwebClient): void {
    // whatsapp-web.js events carry untyped arguments; each listener below states what the library sends.
    const on = <A extends unknown[]>(event: string, listener: (...args: A) => void) =>
      client.on(event, listener as (...args: unknown[]) => void);
    on('qr', (qr: string) => {
      // A new QR: the library lives on (after a LOGOUT it reloads and asks to link again), so its session has not ended.
      this.ended = false;
      this.clearReadyWatchdog();
      const show = () => {
        if (this.client !== client) return;
        this.setState('qr');
        this.watchers.watchLinking(client);
        this.emitter.emit('qr', { qr });
      };
      // Shown once the passkey that may follow a scan would be seen (the first QR comes while initialize() still
      // runs): a scan made at once met an unwatched page in CI, and the passkey went unseen.
      const watching = this.watchers.watchPasskeysOnce(client);
      if (watching) void watching.then(show);
      else show();
    });
    on('code', (code: string) => this.emitter.emit('pairingCode', { code: String(code) }));
    on('authenticated', () => {
      // A session that ended (logged out, banned, opened elsewhere) stays as it ended until the user acts.
      if (this.ended) return;
      this.setState('connecting');
      this.armReadyWatchdog();
    });
    on('auth_failure', (message: string) => this.setState('logged_out', undefined, String(message)));
    on('ready', () => void this.onReady(client));
    on('change_state', (raw: string) => {
      const mapped = mapWaState(raw);
      // States the library does not accept: it disconnects and destroys its browser next (Client.js).
      if (mapped.state === 'logged_out' || mapped.state === 'banned' || mapped.state === 'conflict') this.ended = true;
      this.setState(mapped.state, mapped.error, raw);
    });
    on('disconnected', (raw: string) => {
      const mapped = mapDisconnect(String(raw));
      // The library destroys its own browser after this (or, after LOGOUT, shows a new QR): that close is not a
      // crash, and the number keeps the state it ended in (a PROXYBLOCK was shown as a crash and restarted as one).
      this.ended = true;
      this.clearReadyWatchdog();
      this.setState(mapped.state, mapped.error ?? (mapped.state === 'error' ? 'unknown' : undefined), String(raw));
      this.emitter.emit('disconnected', mapped.event);
    });
    on('message_ack', (message: WwebMessage, ack: number) => {
      const key = readMessageKey(message?.id);
      if (!key) return this.config.logger.warn({ numberId: this.config.numberId }, 'ack without a readable message id');
      this.emitter.emit('ack', { messageId: key.id, ack: mapAck(ack), at: this.config.clock.now() });
    });
    on('message', (message: WwebMessage) => {
      void this.incomingOf(message).then(
        (incoming) => incoming && this.emitter.emit('incoming', incoming),
        (error: unknown) => this.config.logger.warn({ err: error }, 'incoming message not read'),
      );
    });
  }

  /** `ready` is trusted only once the compatibility shim has run in the page. */
  private async onReady(client: WwebClient): Promise<void> {
    this.clearReadyWatchdog();
    const shim = await this.applyShim(client);
    if (this.client !== client) return;
    // The page is not what the shim knows: sending would meet the change message by message. Nothing goes out
    // (the lanes wait for `connected`) until an update, or a retry that finds the page as it knows it.
    if (shim !== 'ok') {
      this.setState('wa_changed', undefined, shim);
      return;
    }
    const user = widText(client.info?.wid);
    // The capping listener is in the page before the number is said connected: a limit that changed right after
    // (the lanes start at `connected`) was missed while the binding was still being added (seen on a loaded machine).
    // A page that does not answer does not hold the number back for long.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([this.watchers.watchLimitChanges(client), new Promise<void>((resolve) => (waited = setTimeout(resolve, WATCH_LIMITS_WAIT_MS)))]);
    clearTimeout(waited);
    // A session that ended meanwhile (logged out, banned, another computer, stopped) is left as it ended.
    if (this.client !== client || this.ended || this.stopping || ENDED_MEANWHILE.has(this.state)) return;
    this.setState('connected');
    // A Mexican mobile's own id carries the old `1` (521…): the linked number is shown as the user knows it (+52…),
    // which the WhatsApp Web double showed (its phone links as 5215…@c.us, as WhatsApp's do).
    this.emitter.emit('ready', { phone: user ? (phoneOfWid(user) ?? `+${user.replace(/@.*$/, '')}`) : '', name: client.info?.pushname ?? null });
  }

  /** 'ok', or what did not match: a patch for a shape the shim does not know, or the shim itself failing. */
  private async applyShim(client: WwebClient): Promise<string> {
    if (!client.pupPage) return 'ok';
    // Sent as source; `__name` stands in for the helper esbuild adds to named functions (keepNames).
    const source = `(() => { const __name = (f) => f; return (${whatsAppWebShim.toString()})(); })()`;
    try {
      this.lastShim = (await this.call('shim', () => client.pupPage!.evaluate(source))) as ShimReport;
      this.config.logger.info({ numberId: this.config.numberId, shim: this.lastShim }, 'WhatsApp Web compatibility shim');
      const unknown = this.lastShim?.patches?.filter((p) => p.outcome === 'unknown_shape') ?? [];
      return unknown.length === 0 ? 'ok' : `shim: ${unknown.map((p) => `${p.name} (${p.detail ?? '?'})`).join(', ')}`;
    } catch (error) {
      this.config.logger.warn({ numberId: this.config.numberId, err: error }, 'compatibility shim failed');
      if (error instanceof DriverError && (error.code === 'crashed' || error.code === 'timeout')) return 'ok';
      return `shim failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Page errors in a row that look like a WhatsApp Web change, by call (send, resolve, chats…); a success of that
   * call clears them. Not one count for every call: each send first resolves the chat, and a build that broke only
   * the send answered every resolve, so the number failed send after send and never stopped (found on the WhatsApp
   * Web double's `sendActionMoved` build).
   */
  private changeSigns = new Map<string, number>();

  /** Two in a row of one call: the number stops in `wa_changed` (one alone may be a page that was still loading). */
  private noteChangeSign(key: string, error: unknown): void {
    if (!isWhatsAppChange(error)) {
      this.changeSigns.delete(key);
      return;
    }
    const signs = (this.changeSigns.get(key) ?? 0) + 1;
    this.changeSigns.set(key, signs);
    this.config.logger.warn({ numberId: this.config.numberId, err: error, call: key, signs }, 'a sign of a WhatsApp Web change');
    if (signs >= 2 && this.state === 'connected') this.setState('wa_changed', undefined, error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300));
  }

  private armReadyWatchdog(): void {
    this.clearReadyWatchdog();
    const ms = this.config.readyTimeoutMs ?? 120_000;
    this.readyTimer = setTimeout(() => {
      if (this.stopping || this.state === 'connected' || this.state === 'qr' || this.state === 'passkey') return;
      this.config.logger.warn({ numberId: this.config.numberId, ms }, 'WhatsApp Web never became ready');
      void this.teardown().then(() => this.setState('error', 'ready_timeout', `ready did not come within ${ms} ms`));
    }, ms);
    this.readyTimer.unref?.();
  }

  private clearReadyWatchdog(): void {
    clearTimeout(this.readyTimer);
    this.readyTimer = undefined;
  }

  /** A message from a person (not a group, status or channel) as an incoming event, its LID resolved to a phone. */
  private async incomingOf(message: WwebMessage): Promise<DriverEvents['incoming'] | null> {
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

  /** The client whose `initialize()` (the browser's launch, the page's load) is in flight. */
  private initializing: WwebClient | undefined;

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

  /**
   * Every call into the page, with a time limit: a hung `evaluate` ends as a timeout (for a send: maybe sent,
   * so it is reconciled, never retried blindly) and a crash restarts the session.
   */
  private async call<T>(what: string, fn: () => Promise<T>, isSend = false): Promise<T> {
    const ms = this.config.callTimeoutMs ?? 60_000;
    try {
      const value = await withTimeout(fn(), ms, `${what} did not answer within ${ms} ms`);
      this.changeSigns.delete(what);
      return value;
    } catch (error) {
      this.noteChangeSign(what, error);
      if (error instanceof DriverError && error.code === 'timeout') {
        this.config.logger.warn({ numberId: this.config.numberId, what, ms }, 'page call timed out');
        throw new DriverError('timeout', error.message, isSend);
      }
      if (isSend) throw error;
      if (isCrash(error)) this.noteCrash(error);
      // Met a reload: the number is connecting again, and what was asked is asked again once it is ready.
      const code = !isCrash(error) ? 'unknown' : this.state === 'connecting' && this.isReloadError(error) ? 'not_connected' : 'crashed';
      throw new DriverError(code, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * A page call that met a closed browser: a crash, unless the session had ended (logged out, banned, opened
   * elsewhere, a blocked network) and the library was closing its own browser under a call still in flight —
   * then the number keeps the state it ended in (the WhatsApp Web double showed a logout from the phone turned into
   * a crash, restarted to a new QR, and a conflict reconnected by itself).
   */
  private noteCrash(error: unknown): void {
    if (this.ended || this.stopping) return;
    // A call in flight when WhatsApp Web reloaded itself meets a destroyed context, with the browser alive: a reload,
    // not a crash (restarting the browser then also broke the library's own re-injection, an unhandled "detached
    // Frame"). The number waits for the page to be ready again, and a send it interrupted is asked of WhatsApp then.
    if (this.client && this.isReloadError(error)) return this.watchers.onReload(this.client);
    this.setState('error', 'crashed', error instanceof Error ? error.message : String(error));
  }

  private isReloadError(error: unknown): boolean {
    // Not "detached Frame": that is also what a closed or crashed tab leaves, and a crash is restarted.
    return /Execution context was destroyed/i.test(textOfError(error)) && this.client?.pupBrowser?.connected !== false;
  }

  private connectedClient(): WwebClient {
    if (!this.client || this.state !== 'connected') throw new DriverError('not_connected', `number is ${this.state}`);
    return this.client;
  }

  /** Destroys the client within a time limit, then kills the browser's whole process tree if it is still there. */
  private async teardown(): Promise<void> {
    this.clearReadyWatchdog();
    this.watchers.stopLinking();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // Stopped while the library was still launching its browser (`pupBrowser` is null until then, Client.js): the
    // launch is waited for a moment, so the browser is closed before the stop returns rather than left writing to
    // the profile (a test's folder removal met it; a restart's next start would find it holding the profile).
    for (let i = 0; i < 50 && this.initializing === client && client.pupBrowser === null; i++) await sleep(100);
    const pid = client.pupBrowser?.process()?.pid;
    await withTimeout(client.destroy(), this.config.stopTimeoutMs ?? 10_000, 'destroy timed out').catch((error: unknown) => {
      this.config.logger.warn({ err: error }, 'client.destroy failed or timed out');
    });
    if (pid !== undefined && isAlive(pid)) (this.config.killProcess ?? killTree)(pid);
    else if (pid === undefined) this.reapLate(client);
  }

  /**
   * Stopped while the browser was still being launched: Puppeteer hands the browser to the client only once it
   * runs, after our destroy found nothing to close. Watch for it for a while and end it, so no browser is orphaned.
   */
  private reapLate(client: WwebClient): void {
    const until = Date.now() + (this.config.startTimeoutMs ?? 90_000);
    const timer = setInterval(() => {
      const pid = client.pupBrowser?.process()?.pid;
      if (pid !== undefined) {
        clearInterval(timer);
        void withTimeout(client.destroy(), 3000, 'destroy timed out')
          .catch(() => undefined)
          .then(() => isAlive(pid) && (this.config.killProcess ?? killTree)(pid));
      } else if (Date.now() > until) clearInterval(timer);
    }, 250);
    timer.unref?.();
  }

  private setState(state: NumberState, error?: DriverEvents['state']['error'], detail?: string): void {
    // Each change with what caused it: the log support reads when a number "did something on its own".
    if (state !== this.state) this.config.logger.info({ numberId: this.config.numberId, from: this.state, state, error, detail }, 'number state');
    this.state = state;
    this.emitter.emit('state', { state, ...(error ? { error } : {}), ...(detail ? { detail } : {}) });
  }
}
