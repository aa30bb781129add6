import crypto from 'node:crypto';
import { DoubleCore, type StoredMessage } from './double-core';

export { LIBRARY_WEB_VERSION } from './double-core';

/**
 * The WhatsApp Web double as tests and the demo play it: the phone's side of every scenario (a QR scanned, a code
 * typed, a reply, a new build, a limit, a passkey, a phone offline, another computer…), on the server in double-core.ts.
 */
export class WhatsAppWebDouble extends DoubleCore {
  /** The phone's new-chat cap: `used` of `total` in a cycle of `cycleMs` from now (its level follows from them). */
  setCap(phone: string, cap: { total: number; used: number; cycleMs: number }): void {
    this.limits.setCap(this.chatOf(phone), cap);
  }

  /** WhatsApp stops the phone from starting new chats for `ms` (the reach-out timelock). */
  timelock(phone: string, ms: number, opts: { enforcement?: string; quiet?: boolean; oneTick?: boolean } = {}): void {
    this.limits.timelock(this.chatOf(phone), ms, opts.enforcement, opts.quiet, opts.oneTick);
  }

  /** Messages the phone sent that WhatsApp refused under a limit (ack −1, or one tick forever), by chat. */
  refusedFrom(phone: string): string[] {
    return (this.messages.get(this.chatOf(phone)) ?? []).filter((m) => m.fromMe && m.refused).map((m) => m.chat);
  }

  /** The phone scans the QR whatsapp-web.js showed: the page whose current ref it carries links to `phone`. */
  scan(qr: string, phone: string, pushname = 'Negocio Demo'): void {
    const ref = qr.split(',')[0];
    const page = [...this.pages].find((p) => p.ref !== null && p.ref === ref);
    if (!page) throw new Error('no page shows that QR');
    this.link(page, phone, pushname);
  }

  /** The user types the pairing code on the phone whose number it was asked for. */
  enterCode(code: string, pushname = 'Negocio Demo'): void {
    const page = this.codes.get(code);
    if (!page?.pairingPhone) throw new Error('no page waits for that code');
    this.codes.delete(code);
    this.link(page, `+${page.pairingPhone}`, pushname);
  }

  /**
   * A contact writes to a linked phone (from their LID chat when WhatsApp moved them, as it does today, or when
   * `fromLid` says so); answers the chat it came from.
   */
  reply(phone: string, from: string, body: string, opts: { fromLid?: boolean } = {}): string {
    const session = this.sessionOf(phone);
    this.asked.add(from);
    const chat = opts.fromLid || (this.variant.lidPercent > 0 && this.movedToLid(from)) ? this.lidOf(from) : this.chatOf(from);
    this.receive(session, { id: `IN${crypto.randomBytes(8).toString('hex').toUpperCase()}`, chat, fromMe: false, body, type: 'chat', t: Math.floor(this.world.clock.now() / 1000), ack: 0 }, from);
    return chat;
  }

  /**
   * WhatsApp Web serves this phone's device a build the shim does not know: its open page reloads into it (as
   * WhatsApp Web reloads itself for a new build), once; the page after that (a retry, standing for the app's
   * update) is the known build again.
   */
  changeBuild(phone: string): void {
    const session = this.sessionOf(phone);
    this.changed.add(session.token);
    for (const page of this.pagesOf(session)) this.push(page, { type: 'reload' });
  }

  /**
   * The demo's "in doubt": WhatsApp takes this phone's next message and the page's call fails after it; the chat's
   * history then cannot be read once, so the app cannot tell whether it went out.
   */
  inDoubtNext(phone: string): void {
    for (const page of this.pagesOf(this.sessionOf(phone))) this.push(page, { type: 'loseNextAnswer' });
  }

  /** The phone's next link asks for a passkey (the demo's `passkey`; `withPasskey` asks it of every link). */
  askPasskey(phone: string): void {
    this.passkeyNext.add(this.chatOf(phone));
  }

  /** The user completed the passkey on every page waiting for one (the demo's stand-in for the browser's prompt). */
  givePasskeys(): void {
    for (const page of this.pages) if (page.pendingLink) this.link(page, page.pendingLink.phone, page.pendingLink.pushname, true);
  }

  /** The phone's next WhatsApp Web start links but never syncs (wwebjs 201919): its open page reloads into it, once. */
  hangNextStart(phone: string): void {
    const session = this.sessionOf(phone);
    this.stuck.add(session.token);
    for (const page of this.pagesOf(session)) this.push(page, { type: 'reload' });
  }

  /**
   * The phone loses its connection for `ms` (of the world's clock): the page says TIMEOUT, the last two contacts
   * written to answer meanwhile (half-way), and what came while away reaches the page when it is back.
   */
  goOffline(phone: string, ms: number, bodies: string[]): void {
    const session = this.sessionOf(phone);
    this.offline.set(session.token, []);
    for (const page of this.pagesOf(session)) this.push(page, { type: 'state', state: 'TIMEOUT' });
    const writers = this.deliveriesFrom(phone).slice(-bodies.length).flatMap((d) => (d.e164 ? [d.e164] : []));
    const later = (after: number, fn: () => void) => void this.world.clock.sleep(after).then(() => !this.stopped && fn());
    later(ms / 2, () => writers.forEach((e164, i) => this.reply(phone, e164, bodies[i] ?? 'Hola')));
    later(ms, () => {
      const held = this.offline.get(session.token) ?? [];
      this.offline.delete(session.token);
      for (const page of this.pagesOf(session)) {
        this.push(page, { type: 'state', state: 'CONNECTED' });
        for (const push of held) this.push(page, push);
      }
    });
  }

  /** What the world delivered from this phone, newest last (the demo's faults pick "the last contact"). */
  deliveriesFrom(phone: string): { chatId: string; e164: string | null }[] {
    const session = this.sessionOf(phone);
    return this.world.deliveriesOf(this.e164Of(session.pn) ?? session.pn).map((d) => ({ chatId: d.chatId, e164: d.chatId.endsWith('@lid') ? this.phoneOfLid(d.chatId) : this.e164Of(d.chatId) }));
  }

  /** The phone unlinks this device (Ajustes › Dispositivos vinculados › Cerrar sesión). */
  logoutFromPhone(phone: string): void {
    const session = this.sessionOf(phone);
    this.sessions.delete(session.token);
    for (const page of this.pagesOf(session)) this.push(page, { type: 'logout' });
  }

  /** WhatsApp refuses the network this computer is on (a proxy or VPN it blocks): the page says PROXYBLOCK, once. */
  blockConnection(phone: string): void {
    for (const page of this.pagesOf(this.sessionOf(phone))) this.push(page, { type: 'state', state: 'PROXYBLOCK' });
  }

  /** The user opened WhatsApp Web on another computer: this one is told it is in use elsewhere. */
  openElsewhere(phone: string): void {
    for (const page of this.pagesOf(this.sessionOf(phone))) this.push(page, { type: 'conflict' });
  }

  /** The contact's chat data reads again (a broken `lastReceivedKey` repaired), on the pages open now and after. */
  mendChat(e164: string): void {
    this.broken.delete(e164);
    for (const page of this.pages) this.push(page, { type: 'mend', chats: [this.chatOf(e164), this.lidOf(e164)] });
  }

  /** What WhatsApp keeps of a chat (for tests that look). */
  chatMessages(phone: string, chat: string): StoredMessage[] {
    return this.messages.get(this.sessionOf(phone).pn)?.filter((m) => m.chat === chat) ?? [];
  }
}
