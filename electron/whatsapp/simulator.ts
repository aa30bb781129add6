import fs from 'node:fs';
import path from 'node:path';
import type { Random } from '../core/random';
import {
  DriverEmitter,
  DriverError,
  type AckState,
  type DriverErrorCode,
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
import type { SimFault } from '../../shared/numbers';
import type { DeliveryRecord, SimWorld } from './sim-world';
import { waLimitsOf } from './reach-limits';
import type { WaLimits } from '../../shared/wa-limits';
import { sampleMedia, type SampleMediaKind } from './sample-media';
import { applyStep, playFault, type SendFault, type SimStep } from './sim-faults';

const MEDIA_LIMIT = 16 * 1024 * 1024;
const DOCUMENT_LIMIT = 100 * 1024 * 1024;

export { DEMO_CAP_CYCLE_MS, DEMO_TIMELOCK_MS, type SendFault, type SimStep } from './sim-faults';

export type SimSession = { phone: string; name: string };

/** An in-process WhatsApp number: QR, linking, acks, replies, failures and bans, deterministic from seed + clock. */
export class SimulatedDriver implements WhatsAppDriver {
  /** Internal, as the members below: sim-faults.ts plays the demo's problems through them. */
  readonly emitter = new DriverEmitter();
  state: NumberState = 'stopped';
  session: SimSession | undefined;
  generation = 0;
  private recentSends: number[] = [];
  findSentUncertain = false;
  /** Chat history unreadable for the next looks, one per "in doubt" fault asked for (the demo's fault, run twice: two). */
  uncertainLooks = 0;
  /** Replies that came while this session was offline: WhatsApp keeps them, the next catch-up reads them. */
  readonly missedReplies: DriverEvents['incoming'][] = [];
  readonly faults: SendFault[] = [];
  private readonly random: Random;
  private readonly sessionFile: string;

  constructor(
    readonly numberId: string,
    readonly world: SimWorld,
    sessionDir: string,
  ) {
    this.random = world.randomFor(numberId);
    this.sessionFile = path.join(sessionDir, 'simulated-session.json');
  }

  on<E extends DriverEventName>(event: E, listener: (payload: DriverEvents[E]) => void): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  get currentState(): NumberState {
    return this.state;
  }

  async start(): Promise<void> {
    const generation = ++this.generation;
    this.setState('connecting');
    await this.world.clock.sleep(this.world.behaviour.connectMs);
    if (generation !== this.generation) return;
    this.session = readSession(this.sessionFile);
    if (this.session && this.world.stuckReady.delete(this.numberId)) {
      // Authenticated, and WhatsApp Web never finishes loading: what a WhatsApp Web change looks like.
      void this.world.clock.sleep(this.world.behaviour.readyWatchdogMs).then(() => {
        if (generation === this.generation && this.state === 'connecting') this.setState('error', 'ready_timeout', 'ready did not come');
      });
      return;
    }
    if (this.session) {
      this.becomeReady();
      return;
    }
    this.setState('qr');
    void this.rotateQr(generation);
  }

  /**
   * Linking by phone number: an 8-character code, as WhatsApp gives it; in the demo the "phone" types it after
   * a few seconds and the number links to that phone.
   */
  async requestPairingCode(e164: string): Promise<string> {
    if (this.state !== 'qr') throw new DriverError('not_connected', 'no link is waiting');
    const alphabet = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';
    const code = Array.from({ length: 8 }, () => alphabet[this.random.int(0, alphabet.length - 1)]).join('');
    this.emitter.emit('pairingCode', { code });
    const generation = this.generation;
    // A new code replaces the last one (the user typed another number): only the latest is ever typed on a phone.
    const request = ++this.pairingRequests;
    void this.world.clock.sleep(this.world.behaviour.pairingTypedAfterMs).then(() => {
      if (generation === this.generation && request === this.pairingRequests && this.state === 'qr') this.scan({ phone: e164 });
    });
    return code;
  }

  private pairingRequests = 0;

  /** The user scanned the QR with their phone (a button in demo mode, a call in tests). */
  scan(session: Partial<SimSession> = {}): void {
    if (this.state !== 'qr') throw new DriverError('not_connected', 'no QR is showing');
    const phone = session.phone ?? `+5255${String(this.random.int(10_000_000, 99_999_999))}`;
    this.session = { phone, name: session.name ?? 'Negocio Demo' };
    fs.mkdirSync(path.dirname(this.sessionFile), { recursive: true });
    fs.writeFileSync(this.sessionFile, JSON.stringify(this.session));
    // The account asks for a passkey to link (the demo's `passkey`): the link waits for it, as a hidden browser would.
    if (this.world.passkeyNext.has(this.numberId)) return this.setState('passkey');
    this.becomeReady();
  }

  /** The user completed the passkey in WhatsApp Web's window (the demo's stand-in for the browser's own prompt). */
  givePasskey(): void {
    if (this.state !== 'passkey') throw new DriverError('not_connected', 'no passkey is asked for');
    this.world.passkeyNext.delete(this.numberId);
    this.becomeReady();
  }

  async resolve(e164: string): Promise<string | null> {
    this.assertConnected();
    await this.world.clock.sleep(this.random.int(50, 200));
    return this.world.isOnWhatsApp(e164) ? this.world.chatIdFor(e164) : null;
  }

  async send(chatId: string, content: OutgoingMessage): Promise<{ messageId: string; at: number }> {
    this.assertConnected();
    if (content.media) {
      const size = fs.statSync(content.media.path).size;
      const limit = content.media.kind === 'document' ? DOCUMENT_LIMIT : MEDIA_LIMIT;
      if (size > limit) throw new DriverError('media_too_large', `${size} bytes is over WhatsApp's ${limit} limit`);
    }
    const now = this.world.clock.now();
    this.recentSends = this.recentSends.filter((t) => t > now - 60_000);
    this.recentSends.push(now);
    if (this.recentSends.length > this.world.behaviour.banAbovePerMinute) {
      this.ban();
      throw new DriverError('not_connected', 'number banned for sending too fast');
    }
    await this.world.clock.sleep(this.random.int(80, 400));
    this.assertConnected();
    const fault = this.faults.shift() ?? this.drawFault();
    if (fault === 'not_sent') throw new DriverError('send_failed', 'simulated transient failure', false);
    if (fault === 'maybe_sent_lost') throw new DriverError('send_failed', 'simulated page error; the message did not go out', true);
    if (fault === 'ack_error') {
      const messageId = this.world.refusedId(this.numberId);
      void this.world.clock.sleep(this.random.int(100, 500)).then(() => this.emitter.emit('ack', { messageId, ack: 'error', at: this.world.clock.now() }));
      return { messageId, at: this.world.clock.now() };
    }
    // To someone who never wrote while WhatsApp limits that: taken, then refused (ack −1), never delivered.
    if (!this.world.wroteTo(this.numberId, chatId) && this.world.reach.coldSend(this.numberId) !== 'taken') {
      const messageId = this.world.refusedId(this.numberId);
      void this.world.clock.sleep(1000).then(() => this.emitter.emit('ack', { messageId, ack: 'error', at: this.world.clock.now() }));
      return { messageId, at: this.world.clock.now() };
    }
    const text = content.text;
    const media = content.media ? { kind: content.media.kind, fileName: content.media.fileName, size: fs.statSync(content.media.path).size } : undefined;
    const record = this.world.deliver({ numberId: this.numberId, chatId, text, at: this.world.clock.now(), ...(media ? { media } : {}) });
    if (fault === 'maybe_sent_delivered') {
      void this.progressAcks(record, this.generation);
      throw new DriverError('send_failed', 'simulated page error after the message went out', true);
    }
    // As in whatsapp-web.js, the first ack may arrive before send() returns.
    this.emitter.emit('ack', { messageId: record.messageId, ack: 'sent', at: record.at });
    void this.progressAcks(record, this.generation);
    return { messageId: record.messageId, at: record.at };
  }

  async findSent(chatId: string, marker: SendMarker): Promise<FoundMessage | null> {
    this.assertConnected();
    const once = this.uncertainLooks > 0;
    if (once) this.uncertainLooks -= 1;
    if (once || this.findSentUncertain || this.random.next() < this.world.behaviour.findSentUnknownRate) throw new DriverError('unknown', 'could not read the chat history');
    await this.world.clock.sleep(this.random.int(50, 150));
    const found = this.world.find(this.numberId, chatId, marker.text, marker.after);
    return found ? { messageId: found.messageId } : null;
  }

  async logout(): Promise<void> {
    this.generation++;
    fs.rmSync(this.sessionFile, { force: true });
    this.session = undefined;
    this.setState('logged_out');
    this.emitter.emit('disconnected', { reason: 'logout', raw: 'LOGOUT' });
  }

  /** The simulator stands for no real WhatsApp Web: it says so in the diagnostics. */
  webVersion(): string | null {
    return 'simulator';
  }

  async stop(): Promise<void> {
    this.generation++;
    this.setState('stopped');
  }

  chatIdOf(e164: string): string {
    return this.world.chatIdFor(e164);
  }

  /** The chat belongs to the user's own spare phone (a test send): it reads what it gets and does not reply. */
  attend(chatId: string): void {
    this.world.attentive.add(chatId);
  }

  /** Plays a scenario on this number: disconnects, conflicts, replies… each after its delay. */
  script(steps: SimStep[]): Promise<void> {
    return Promise.all(
      steps.map(async (step) => {
        await this.world.clock.sleep(step.afterMs);
        applyStep(this, step);
      }),
    ).then(() => undefined);
  }

  /** A fault drawn from the behaviour's rates, or none. */
  private drawFault(): SendFault | null {
    const b = this.world.behaviour;
    const roll = this.random.next();
    const faults: [SendFault, number][] = [
      ['not_sent', b.transientFailureRate],
      ['maybe_sent_delivered', b.maybeSentDeliveredRate],
      ['maybe_sent_lost', b.maybeSentLostRate],
      ['ack_error', b.ackErrorRate],
    ];
    let edge = 0;
    for (const [fault, rate] of faults) {
      edge += rate;
      if (roll < edge) return fault;
    }
    return null;
  }

  becomeReady(): void {
    if (!this.session) return;
    this.setState('connected');
    this.emitter.emit('ready', { phone: this.session.phone, name: this.session.name });
  }

  ban(): void {
    this.generation++;
    this.setState('banned');
    this.emitter.emit('disconnected', { reason: 'banned', raw: 'TOS_BLOCK' });
  }

  private async rotateQr(generation: number): Promise<void> {
    for (let n = 1; generation === this.generation && this.state === 'qr'; n++) {
      this.emitter.emit('qr', { qr: `whatzme-sim:${this.numberId}:${n}:${this.random.int(100000, 999999)}` });
      await this.world.clock.sleep(this.world.behaviour.qrRotateMs);
    }
  }

  /** Plays the message's fate live: the receipts and the reply, each at its time (while this session lives). */
  private async progressAcks(record: DeliveryRecord, generation: number): Promise<void> {
    const { messageId, chatId } = record;
    const fate = this.world.fate(record);
    const until = (at: number) => this.world.clock.sleep(at - this.world.clock.now());
    if (!Number.isFinite(fate.deliveredAt)) return; // blocked: one tick, and nothing more ever
    await until(fate.deliveredAt);
    if (generation !== this.generation) return;
    this.emitter.emit('ack', { messageId, ack: 'delivered', at: this.world.clock.now() });
    if (fate.readAt === null) return;
    await until(fate.readAt);
    if (generation !== this.generation) return;
    this.emitter.emit('ack', { messageId, ack: 'read', at: this.world.clock.now() });
    if (!fate.reply) return;
    await until(fate.reply.at);
    if (generation !== this.generation) return;
    this.emitIncoming({ messageId: `IN_${messageId}`, chatId, body: fate.reply.body, type: 'chat', at: this.world.clock.now() });
  }

  // The catch-up reads are answered at once: a sleep on a manual clock would hold a lane past the app's close.
  async ackStates(messages: SentRef[]): Promise<Map<string, AckState>> {
    this.assertConnected();
    const states = new Map<string, AckState>();
    for (const { messageId: id } of messages) {
      const state = this.world.ackState(id);
      if (state) states.set(id, state);
    }
    return states;
  }

  async recentIncoming(since: number): Promise<DriverEvents['incoming'][]> {
    this.assertConnected();
    const now = this.world.clock.now();
    const missed = this.missedReplies.splice(0).filter((m) => m.at > since);
    return [...missed, ...this.world
      .deliveriesOf(this.numberId)
      .flatMap((record) => {
        const reply = this.world.fate(record).reply;
        return reply && reply.at > since && reply.at <= now ? [{ messageId: `IN_${record.messageId}`, chatId: record.chatId, body: reply.body, type: 'chat', at: reply.at }] : [];
      })].sort((a, b) => a.at - b.at);
  }

  /** A message to the number; its sender is a trusted contact from now on (WhatsApp's limits leave them alone). */
  emitIncoming(message: DriverEvents['incoming'], media?: SampleMediaKind): void {
    if (media) this.receivedMedia.set(message.messageId, sampleMedia(media));
    this.world.noteWrote(this.numberId, message.chatId);
    this.emitter.emit('incoming', message);
  }

  replySeq = 0;
  private receivedMedia = new Map<string, IncomingMedia>();
  /** What the user did in chats, as the contact's phone would see it (tests read it). */
  readonly chatSignals: { chatId: string; signal: 'read' | 'typing'; at: number }[] = [];

  async downloadMedia(ref: { chatId: string; messageId: string }): Promise<IncomingMedia | null> {
    this.assertConnected();
    return this.receivedMedia.get(ref.messageId) ?? null;
  }

  async markRead(chatId: string): Promise<void> {
    this.assertConnected();
    this.chatSignals.push({ chatId, signal: 'read', at: this.world.clock.now() });
  }

  async typing(chatId: string): Promise<void> {
    this.assertConnected();
    this.chatSignals.push({ chatId, signal: 'typing', at: this.world.clock.now() });
  }

  /** WhatsApp's limits on reaching new people, as WhatsApp Web would state them (reach-limits.ts). */
  async limits(): Promise<WaLimits> {
    this.assertConnected();
    return waLimitsOf(this.world.reach.payload(this.numberId), this.world.clock.now());
  }

  /** The demo's problems (see SIM_FAULTS in shared/numbers.ts), each as the real driver shows it (sim-faults.ts). */
  simulateFault(fault: SimFault): void {
    playFault(this, fault);
  }

  private assertConnected(): void {
    if (this.state !== 'connected') throw new DriverError('not_connected', `number is ${this.state}`);
  }

  setState(state: NumberState, error?: DriverErrorCode, detail?: string): void {
    this.state = state;
    this.emitter.emit('state', { state, ...(error ? { error } : {}), ...(detail ? { detail } : {}) });
  }
}

function readSession(file: string): SimSession | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SimSession;
  } catch {
    return undefined;
  }
}
