import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { hash } from '../../core/hash';
import type { SimWorld } from '../sim-world';
import { doubleHtml } from './double-html';
import { ReachLimits } from '../reach-limits';
import { VARIANTS, type DoubleVariant } from './variants';

/** The build whatsapp-web.js 1.34.7 asks its web-version cache for (`webVersion` in util/Constants.js). */
export const LIBRARY_WEB_VERSION = '2.3000.1017054665';

/** One linked device: what the phone keeps about a WhatsApp Web session (the page keeps the same in localStorage). */
type Session = { token: string; pn: string; lid: string; pushname: string };
export type StoredMessage = { id: string; chat: string; fromMe: boolean; body: string; type: string; t: number; ack: number; media?: Record<string, unknown>; refused?: boolean };
type Page = { ws: WebSocket; ref: string | null; session: Session | null; pairingPhone: string | null; pendingLink?: { phone: string; pushname: string } };

/**
 * The WhatsApp Web double's "WhatsApp server" (its protocol and state; the controls tests and the demo play on it are
 * `WhatsAppWebDouble`, double-server.ts): the phone and the network behind the double page. It links devices
 * (a QR scanned or a pairing code typed on the phone, played by a test or by the demo's buttons), answers the
 * existence query with each contact's LID, takes sends into the simulator's delivery record (`sim-world.ts`, the
 * same record "exactly once" is counted from), and pushes receipts and replies as the world's fate says.
 */
export abstract class DoubleCore {
  readonly variant: DoubleVariant;
  /** Chats the app marked read (WhatsApp Web's sendSeen), in order: what a contact's phone shows as blue ticks. */
  readonly seenChats: string[] = [];
  protected wss: WebSocketServer | undefined;
  protected readonly token = crypto.randomBytes(16).toString('hex');
  protected pages = new Set<Page>();
  protected sessions = new Map<string, Session>();
  protected codes = new Map<string, Page>();
  /** Every message of each linked phone, by chat: WhatsApp's copy, from which a restarted page gets its history. */
  protected messages = new Map<string, StoredMessage[]>();
  protected pendingFates = new Set<{ cancel(): void }>();
  protected stopped = false;

  constructor(
    protected readonly world: SimWorld,
    variant: DoubleVariant | keyof typeof VARIANTS = 'current',
  ) {
    this.variant = typeof variant === 'string' ? VARIANTS[variant] : variant;
    this.broken = new Set(this.variant.brokenChats);
    this.limits = new ReachLimits(world.clock, (phone) => this.pushLimits(phone), () => !this.stopped);
  }

  /** WhatsApp's limits on reaching people who never wrote (the new-chat cap, the reach-out timelock), by the phone's id. */
  protected readonly limits: ReachLimits;

  /** A contact writes to the phone (the world's fate plays replies through the controls' own `reply`). */
  abstract reply(phone: string, from: string, body: string, opts?: { fromLid?: boolean }): string;

  protected pushLimits(pn: string): void {
    const session = [...this.sessions.values()].find((s) => s.pn === pn);
    if (session) this.toPages(session, { type: 'limits', limits: this.limits.payload(pn) });
  }

  /** Whether the contact has ever written to the phone (WhatsApp's trusted-contact token: `chat.getTcToken()`). */
  protected wroteBefore(session: Session, e164: string): boolean {
    const chats = new Set([this.chatOf(e164), this.lidOf(e164)]);
    return (this.messages.get(session.pn) ?? []).some((m) => !m.fromMe && chats.has(m.chat));
  }

  async start(): Promise<void> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: ({ req }: { req: IncomingMessage }) => new URL(req.url ?? '/', 'http://x').searchParams.get('token') === this.token });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    wss.on('connection', (ws) => this.accept(ws));
    this.wss = wss;
  }

  get port(): number {
    const address = this.wss?.address();
    if (!address || typeof address === 'string') throw new Error('the double is not started');
    return address.port;
  }

  /** Puts the double page in whatsapp-web.js's local web-version cache, where the driver's client looks first. */
  install(cacheDir: string): void {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(path.join(cacheDir, `${LIBRARY_WEB_VERSION}.html`), doubleHtml({ port: this.port, token: this.token, build: this.variant.build, variant: this.variant }));
  }

  /** Browser switches the double needs: Chromium's Local Network Access checks refuse a public page's ws://127.0.0.1. */
  static browserArgs(): string[] {
    return ['--disable-features=LocalNetworkAccessChecks'];
  }

  /** The LID WhatsApp gives this contact (deterministic per contact and world seed). */
  lidOf(e164: string): string {
    return `${(hash(`${this.world.seed}:lid:${e164}`) % 900_000_000) + 100_000_000}${String(hash(`lid2:${e164}`) % 1_000_000).padStart(6, '0')}@lid`;
  }

  /** Contacts WhatsApp moved to a LID: a chat by phone number cannot be made for them ("No LID for user"). */
  movedToLid(e164: string): boolean {
    return hash(`${this.world.seed}:moved:${e164}`) % 100 < this.variant.lidPercent;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const fate of this.pendingFates) fate.cancel();
    this.pendingFates.clear();
    for (const page of this.pages) page.ws.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  protected accept(ws: WebSocket): void {
    const page: Page = { ws, ref: null, session: null, pairingPhone: null };
    this.pages.add(page);
    ws.on('close', () => this.pages.delete(page));
    ws.on('message', (data) => {
      let request: { type: string; id: number } & Record<string, unknown>;
      try {
        request = JSON.parse(String(data)) as typeof request;
      } catch {
        return;
      }
      try {
        const body = this.handle(page, request);
        if (request.type !== 'hello') ws.send(JSON.stringify({ reply: request.id, body: body ?? {} }));
      } catch (error) {
        ws.send(JSON.stringify({ reply: request.id, error: error instanceof Error ? error.message : String(error) }));
      }
    });
  }

  protected handle(page: Page, request: { type: string } & Record<string, unknown>): unknown {
    switch (request.type) {
      case 'hello': {
        const saved = request.session as Session | null;
        const session = saved ? this.sessions.get(saved.token) : undefined;
        if (session) {
          page.session = session;
          const changed = this.changed.delete(session.token);
          const neverSync = this.stuck.delete(session.token);
          this.push(page, { type: 'welcome', paired: true, session, history: this.history(session), changed, neverSync, limits: this.limits.payload(session.pn) });
        } else {
          page.ref = this.newRef();
          this.push(page, { type: 'welcome', paired: false, sessionValid: false, ref: page.ref });
        }
        return undefined;
      }
      case 'refreshQR':
        page.ref = this.newRef();
        return { ref: page.ref };
      case 'pairingCode': {
        page.pairingPhone = String(request.phone).replace(/\D/g, '');
        const alphabet = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';
        const code = Array.from(crypto.randomBytes(8), (b) => alphabet[b % alphabet.length]).join('');
        this.codes.set(code, page);
        return { code };
      }
      case 'exists': {
        const e164 = this.e164Of(String(request.wid));
        if (!e164 || !this.world.isOnWhatsApp(e164)) return { exists: false };
        this.asked.add(e164);
        return { exists: true, wid: this.chatOf(e164), lid: this.lidOf(e164) };
      }
      case 'needsLid': {
        const e164 = this.e164Of(String(request.wid));
        return { needsLid: !!e164 && this.variant.lidPercent > 0 && this.movedToLid(e164) };
      }
      case 'send': {
        const session = this.linked(page);
        if (request.lost === true) this.unreadableOnce.add(session.token);
        return this.send(session, request as unknown as { msgId: string; chat: string; body: string; msgType: string; media: { kind: string; fileName: string | null; size: number } | null });
      }
      case 'upload':
        return { url: `https://mmg.whatsapp.net/double/${String(request.hash)}`, directPath: `/double/${String(request.hash)}`, mediaKey: crypto.randomBytes(32).toString('base64'), t: Math.floor(this.world.clock.now() / 1000) };
      case 'history': {
        const session = this.linked(page);
        if (this.unreadableOnce.delete(session.token)) throw new Error('double: the chat history could not be loaded');
        const before = typeof request.before === 'number' ? request.before : Number.POSITIVE_INFINITY;
        const older = (this.messages.get(session.pn) ?? []).filter((m) => m.chat === request.chat && m.t < before);
        return { messages: older.slice(-this.variant.historyPage) };
      }
      case 'seen':
        // WhatsApp Web's sendSeen (the user opened the chat): the contact's phone would show blue ticks.
        this.seenChats.push(String(request.chat));
        return {};
      case 'logout': {
        const session = this.linked(page);
        this.sessions.delete(session.token);
        page.session = null;
        return {};
      }
      case 'passkey': {
        // The page's WebAuthn assertion succeeded: the link completes. (A failed one leaves it waiting, as reported.)
        const pending = page.pendingLink;
        if (request.ok === true && pending) this.link(page, pending.phone, pending.pushname, true);
        return {};
      }
      case 'takeover':
        return {};
      default:
        throw new Error(`unknown request ${request.type}`);
    }
  }

  /** `passkeyGiven`: past the passkey the account asks for (`variant.passkey`). */
  protected link(page: Page, phone: string, pushname: string, passkeyGiven = false): void {
    // The account wants a passkey to link (Baileys 2672: WhatsApp Web then runs a WebAuthn assertion for
    // whatsapp.com); the link completes only when the page answers it.
    if ((this.variant.passkey || this.passkeyNext.has(this.chatOf(phone))) && !passkeyGiven) {
      page.pendingLink = { phone, pushname };
      this.push(page, { type: 'passkey', challenge: crypto.randomBytes(32).toString('base64') });
      return;
    }
    page.pendingLink = undefined;
    this.passkeyNext.delete(this.chatOf(phone));
    const session: Session = { token: crypto.randomBytes(16).toString('hex'), pn: this.chatOf(phone), lid: this.lidOf(phone), pushname };
    this.sessions.set(session.token, session);
    page.session = session;
    page.ref = null;
    if (this.variant.limits?.cap) this.limits.setCap(session.pn, this.variant.limits.cap);
    if (this.variant.limits?.timelockMs) this.limits.timelock(session.pn, this.variant.limits.timelockMs);
    this.push(page, { type: 'paired', session, history: this.history(session), limits: this.limits.payload(session.pn) });
  }

  protected send(session: Session, m: { msgId: string; chat: string; body: string; msgType: string; media: { kind: string; fileName: string | null; size: number } | null }): { t: number } {
    const now = this.world.clock.now();
    const e164 = m.chat.endsWith('@lid') ? this.phoneOfLid(m.chat) : this.e164Of(m.chat);
    // To someone who never wrote, while WhatsApp limits that: taken, then ack −1, never delivered (reach-limits.ts).
    const verdict = e164 && !this.wroteBefore(session, e164) ? this.limits.coldSend(session.pn) : 'taken';
    if (verdict !== 'taken') {
      const refused: StoredMessage = { id: m.msgId, chat: m.chat, fromMe: true, body: m.body, type: m.msgType, t: Math.floor(now / 1000), ack: 1, refused: true };
      this.store(session, refused);
      if (verdict === 'unanswered') return { t: refused.t };
      void this.world.clock.sleep(1000).then(() => {
        if (this.stopped) return;
        refused.ack = -1;
        this.toPages(session, { type: 'ack', msgId: refused.id, ack: -1 });
      });
      return { t: refused.t };
    }
    const record = this.world.deliver({
      numberId: this.e164Of(session.pn) ?? session.pn,
      chatId: m.chat,
      text: m.body,
      at: now,
      messageId: m.msgId,
      ...(m.media ? { media: { kind: m.media.kind, fileName: m.media.fileName ?? '', size: m.media.size } } : {}),
    });
    const stored: StoredMessage = { id: m.msgId, chat: m.chat, fromMe: true, body: m.body, type: m.msgType, t: Math.floor(now / 1000), ack: 1 };
    this.store(session, stored);
    const fate = this.world.fate(record);
    // On the world's clock (a test's sped-up one): the receipts come when its fate says, in the world's time.
    const at = (when: number, fn: () => void) => {
      let live = true;
      const timer = { cancel: () => (live = false) };
      this.pendingFates.add(timer);
      void this.world.clock.sleep(when - this.world.clock.now()).then(() => {
        this.pendingFates.delete(timer);
        if (live && !this.stopped) fn();
      });
    };
    if (Number.isFinite(fate.deliveredAt)) {
      at(fate.deliveredAt, () => this.ack(session, stored, 2));
      if (fate.readAt !== null) at(fate.readAt, () => this.ack(session, stored, 3));
      if (fate.reply && e164) {
        const reply = fate.reply;
        at(reply.at, () => this.reply(this.e164Of(session.pn) ?? session.pn, e164, reply.body));
      }
    }
    return { t: stored.t };
  }

  protected ack(session: Session, message: StoredMessage, ack: number): void {
    if (message.ack >= ack) return;
    message.ack = ack;
    this.toPages(session, { type: 'ack', msgId: message.id, ack });
  }

  protected receive(session: Session, message: StoredMessage, from: string): void {
    this.store(session, message);
    this.toPages(session, { type: 'incoming', record: message, pn: this.chatOf(from), lid: this.lidOf(from) });
  }

  /** What WhatsApp tells a phone's open pages; held while the phone is offline. */
  protected toPages(session: Session, push: Record<string, unknown>): void {
    const held = this.offline.get(session.token);
    if (held) held.push(push);
    else for (const page of this.pagesOf(session)) this.push(page, push);
  }

  protected store(session: Session, message: StoredMessage): void {
    const list = this.messages.get(session.pn) ?? [];
    list.push(message);
    this.messages.set(session.pn, list);
  }

  /** What a page restored or just linked gets: its chats with their recent messages, and the LIDs it knows. */
  protected history(session: Session): { chats: unknown[]; lids: [string, string][] } {
    const all = this.messages.get(session.pn) ?? [];
    const byChat = new Map<string, StoredMessage[]>();
    for (const m of all) byChat.set(m.chat, [...(byChat.get(m.chat) ?? []), m]);
    const chats = [...byChat].map(([id, list]) => {
      const lastSeen = list.filter((m) => m.fromMe).reduce((t, m) => Math.max(t, m.t), 0);
      const unreadCount = list.filter((m) => !m.fromMe && m.t >= lastSeen).length;
      const e164 = id.endsWith('@lid') ? this.phoneOfLid(id) : this.e164Of(id);
      return { id, t: list.reduce((t, m) => Math.max(t, m.t), 0), unreadCount, broken: !!e164 && this.broken.has(e164), messages: list.slice(-this.variant.historyPage) };
    });
    const lids = chats.flatMap((c) => {
      const e164 = c.id.endsWith('@lid') ? this.phoneOfLid(c.id) : this.e164Of(c.id);
      return e164 ? [[this.chatOf(e164), this.lidOf(e164)] as [string, string]] : [];
    });
    return { chats, lids };
  }

  protected push(page: Page, message: Record<string, unknown>): void {
    if (page.ws.readyState === page.ws.OPEN) page.ws.send(JSON.stringify(message));
  }

  protected linked(page: Page): Session {
    if (!page.session || !this.sessions.has(page.session.token)) throw new Error('not linked');
    return page.session;
  }

  protected sessionOf(phone: string): Session {
    const pn = this.chatOf(phone);
    const session = [...this.sessions.values()].find((s) => s.pn === pn);
    if (!session) throw new Error(`no device linked to ${phone}`);
    return session;
  }

  protected pagesOf(session: Session): Page[] {
    return [...this.pages].filter((p) => p.session?.token === session.token);
  }

  protected newRef(): string {
    return `2@${crypto.randomBytes(18).toString('base64')}`;
  }

  /** WhatsApp's id for a phone: Mexican mobiles keep the old `1` after 52 (the simulator's rule, `chatIdFor`). */
  protected chatOf(e164: string): string {
    return this.world.chatIdFor(e164.startsWith('+') ? e164 : `+${e164}`);
  }

  protected e164Of(widText: string): string | null {
    const user = widText.replace(/@.*$/, '');
    if (!/^\d{8,15}$/.test(user) || widText.endsWith('@lid')) return null;
    return user.startsWith('521') && user.length === 13 ? `+52${user.slice(3)}` : `+${user}`;
  }

  protected phoneOfLid(lid: string): string | null {
    for (const known of this.knownContacts) if (this.lidOf(known) === lid) return known;
    return null;
  }

  /** Contacts the double has met (asked about, written to): where a LID is turned back into a phone. */
  protected get knownContacts(): string[] {
    const seen = new Set<string>();
    for (const list of this.messages.values()) for (const m of list) {
      const e164 = this.e164Of(m.chat);
      if (e164) seen.add(e164);
    }
    for (const e164 of this.asked) seen.add(e164);
    return [...seen];
  }

  protected asked = new Set<string>();
  protected readonly broken: Set<string>;
  /** Sessions whose phone is offline, with what reaches their pages when it is back (`goOffline`). */
  protected readonly offline = new Map<string, Record<string, unknown>[]>();
  /** Sessions whose next page is a build the shim does not know (`changeBuild`). */
  protected readonly changed = new Set<string>();
  /** Phones whose next link asks for a passkey (`askPasskey`, the demo's). */
  protected readonly passkeyNext = new Set<string>();
  /** Sessions whose next page never syncs (`hangNextStart`). */
  protected readonly stuck = new Set<string>();
  /** Sessions whose next history read fails, after a send whose answer was lost (`inDoubtNext`). */
  protected readonly unreadableOnce = new Set<string>();
}
