import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock';
import { hash } from '../core/hash';
import { seededRandom, type Random } from '../core/random';
import { ReachLimits } from './reach-limits';

/** One message the simulated WhatsApp really delivered: written to the record before the send is acknowledged. */
/** What a contact's phone received; `media`: the attachment, as WhatsApp would show it (its kind and file name). */
export type DeliveryRecord = { numberId: string; chatId: string; messageId: string; text: string; at: number; media?: { kind: string; fileName: string; size: number } };

export type SimBehaviour = {
  /** Percentage of numbers that are not on WhatsApp (deterministic per number and seed). */
  notOnWhatsAppPercent: number;
  /** Chance that one send fails transiently, having not gone out. */
  transientFailureRate: number;
  /**
   * Chance that a send throws although the message went out, as whatsapp-web.js does when the page errors after
   * WhatsApp took it (the reason recovery asks findSent before any retry).
   */
  maybeSentDeliveredRate: number;
  /** Chance that a send throws with no way to tell, and the message did not go out. */
  maybeSentLostRate: number;
  /** Chance that WhatsApp takes a message and then refuses it (ack ERROR, nothing delivered). */
  ackErrorRate: number;
  /** Chance that reading a chat's history fails (findSent cannot tell: the send is in doubt). */
  findSentUnknownRate: number;
  /** Delivered after this many ms (uniform range). */
  deliveredAfterMs: [number, number];
  /** Chance a delivered message is read, and after how long. */
  readRate: number;
  readAfterMs: [number, number];
  /** Chance a read message gets a reply, and the part of replies that are opt-outs. */
  replyRate: number;
  optOutShare: number;
  replyAfterMs: [number, number];
  /** Of the replies that are not opt-outs, the part that may be one ("no gracias", "¿quién es?"). */
  doubtShare: number;
  /**
   * Percentage of contacts that block the sender from `blockFrom` on (deterministic per contact and seed): their
   * messages stay at one tick, never delivered, as WhatsApp shows a block to the sender.
   */
  blockPercent: number;
  blockFrom: number;
  /** A number that sends more than this in any 60 s is banned, as WhatsApp would. */
  banAbovePerMinute: number;
  /** Time from `start()` to linked (with a saved session) or to the first QR. */
  connectMs: number;
  /** WhatsApp rotates the QR about every 20 s. */
  qrRotateMs: number;
  /** In the demo, the "phone" types a pairing code this long after it was shown. */
  pairingTypedAfterMs: number;
  /** How long the demo waits for a `ready` that never comes before it gives up (the real driver: 2 minutes). */
  readyWatchdogMs: number;
};

export const DEFAULT_BEHAVIOUR: SimBehaviour = {
  notOnWhatsAppPercent: 5,
  transientFailureRate: 0.01,
  maybeSentDeliveredRate: 0,
  maybeSentLostRate: 0,
  ackErrorRate: 0,
  findSentUnknownRate: 0,
  deliveredAfterMs: [500, 4000],
  readRate: 0.7,
  readAfterMs: [2000, 30000],
  replyRate: 0.08,
  optOutShare: 0.2,
  doubtShare: 0.15,
  blockPercent: 0,
  blockFrom: 0,
  replyAfterMs: [3000, 40000],
  banAbovePerMinute: 150,
  connectMs: 400,
  qrRotateMs: 20000,
  pairingTypedAfterMs: 6000,
  readyWatchdogMs: 20000,
};

const REPLIES = ['Gracias', '¿Cuál es el precio?', 'Me interesa, ¿tienen envío?', 'ok 👍', '¿Hasta cuándo es la promoción?', 'No puedo hoy, mañana sí', 'cancelar mi pedido 123?'];
/** Opt-outs as people write them: the keywords, and their own words. */
const OPT_OUTS = ['CANCELAR', 'Baja', 'stop', 'Cancelar.', 'NO MAS', 'Ya no me manden mensajes', 'bórrenme de su lista por favor', 'No me interesa, bórrenme', 'STOP!!', 'baja porfa'];
/** Replies that may be a no: the user decides. */
const DOUBTFUL = ['No gracias', '¿Quién es?', 'No me interesa', '¿De dónde sacaron mi número?', 'número equivocado'];

/**
 * The simulated WhatsApp network that every simulated number shares: who is on WhatsApp, and the durable record
 * of what each contact really received, so a crash test can ask it afterwards.
 */
export class SimWorld {
  readonly behaviour: SimBehaviour;
  private records: DeliveryRecord[] = [];
  /** Chats whose phone is in someone's hand (the user's own spare number): they read everything, never reply. */
  readonly attentive = new Set<string>();
  /** Numbers whose next session authenticates and never becomes ready (a demo fault). */
  readonly stuckReady = new Set<string>();
  /** Numbers whose next link asks for a passkey (the demo's `passkey`). */
  readonly passkeyNext = new Set<string>();
  /** WhatsApp's limits on reaching people who never wrote (the new-chat cap, the timelock), by number: the demo's. */
  readonly reach: ReachLimits;
  /** Chats that wrote to each number (`numberId|chatId`): WhatsApp's trusted contacts, whom its limits leave alone. */
  private readonly wrote = new Set<string>();
  /** When each chat last wrote to each number: someone who just wrote is in the chat and reads the answer. */
  private readonly writes = new Map<string, number[]>();

  noteWrote(numberId: string, chatId: string): void {
    this.wrote.add(`${numberId}|${chatId}`);
    const key = `${numberId}|${chatId}`;
    this.writes.set(key, [...(this.writes.get(key) ?? []), this.clock.now()]);
  }

  wroteTo(numberId: string, chatId: string): boolean {
    return this.wrote.has(`${numberId}|${chatId}`);
  }

  /** The contact wrote to the number in the day before this message: they are in the conversation (#33). */
  private chatting(record: DeliveryRecord): boolean {
    // Every write is kept, so a later message from them never changes an earlier message's fate.
    return (this.writes.get(`${record.numberId}|${record.chatId}`) ?? []).some((at) => at <= record.at && record.at - at < 86_400_000);
  }
  private fd: number;
  private byId = new Map<string, DeliveryRecord>();
  /** Ids of messages WhatsApp took and refused (ack ERROR), kept beside the record so a later life can ask. */
  private refusedIds = new Set<string>();
  private readonly refusedFile: string;

  constructor(
    readonly clock: Clock,
    readonly seed: number,
    readonly recordFile: string,
    behaviour: Partial<SimBehaviour> = {},
  ) {
    this.behaviour = { ...DEFAULT_BEHAVIOUR, ...behaviour };
    this.reach = new ReachLimits(clock, () => undefined, () => this.open);
    fs.mkdirSync(path.dirname(recordFile), { recursive: true });
    if (fs.existsSync(recordFile)) {
      for (const line of fs.readFileSync(recordFile, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          this.records.push(JSON.parse(line) as DeliveryRecord);
        } catch {
          // A line torn by a crash mid-write was never acknowledged: it does not count as delivered.
        }
      }
    }
    this.fd = fs.openSync(recordFile, 'a');
    for (const r of this.records) this.byId.set(r.messageId, r);
    this.refusedFile = `${recordFile}.refused`;
    if (fs.existsSync(this.refusedFile)) for (const id of fs.readFileSync(this.refusedFile, 'utf8').split('\n')) if (id) this.refusedIds.add(id);
  }

  /**
   * What happens to a delivered message on the other side, the same in every life of the app (WhatsApp and the
   * contact do not restart with us): when it is delivered, whether and when it is read, whether they reply.
   */
  fate(record: DeliveryRecord): { deliveredAt: number; readAt: number | null; reply: { at: number; body: string } | null } {
    const r = seededRandom(this.seed ^ hash(`fate:${record.messageId}`));
    const b = this.behaviour;
    // Someone who just wrote reads the answer within seconds, like a person holding the chat open (and is not drawn a
    // random reply to it: what they say next is theirs to say).
    const attentive = this.attentive.has(record.chatId) || this.chatting(record);
    // A contact who blocked the sender: one tick forever, nothing read, no reply.
    if (this.blocks(record)) return { deliveredAt: Number.POSITIVE_INFINITY, readAt: null, reply: null };
    const deliveredAt = record.at + r.int(...b.deliveredAfterMs);
    const read = attentive || r.next() < b.readRate;
    const readAt = read ? deliveredAt + (attentive ? r.int(1000, 4000) : r.int(...b.readAfterMs)) : null;
    const replies = readAt !== null && !attentive && r.next() < b.replyRate;
    return { deliveredAt, readAt, reply: replies && readAt !== null ? { at: readAt + r.int(...b.replyAfterMs), body: this.pickReply(r) } : null };
  }

  /** WhatsApp's receipt for a message now, as a restarted client would read it; undefined for an unknown id. */
  ackState(messageId: string): 'error' | 'sent' | 'delivered' | 'read' | undefined {
    if (this.refusedIds.has(messageId)) return 'error';
    const record = this.byId.get(messageId);
    if (!record) return undefined;
    const fate = this.fate(record);
    const now = this.clock.now();
    return fate.readAt !== null && fate.readAt <= now ? 'read' : fate.deliveredAt <= now ? 'delivered' : 'sent';
  }

  /** Deliveries of one number, for its replies (a catch-up asks which came while the app was closed). */
  deliveriesOf(numberId: string): DeliveryRecord[] {
    return this.records.filter((r) => r.numberId === numberId);
  }

  /** A Random for one number, independent of how many other numbers exist. */
  randomFor(key: string): Random {
    return seededRandom(this.seed ^ hash(key));
  }

  isOnWhatsApp(e164: string): boolean {
    return hash(`${this.seed}:${e164}`) % 100 >= this.behaviour.notOnWhatsAppPercent;
  }

  /** WhatsApp ids of Mexican mobiles still carry the old `1` after 52. */
  chatIdFor(e164: string): string {
    const digits = e164.replace(/\D/g, '');
    return digits.startsWith('52') && digits.length === 12 ? `521${digits.slice(2)}@c.us` : `${digits}@c.us`;
  }

  /**
   * Records a delivery; only after this returns may the send be acknowledged. A write that returned is in the
   * kernel's page cache and survives a SIGKILL of this process, which is the failure the simulator stands in for
   * (WhatsApp's servers do not share our power supply), so no fsync: it would only charge every simulated send a
   * disk flush.
   */
  deliver(record: Omit<DeliveryRecord, 'messageId'> & { messageId?: string }): DeliveryRecord {
    // The WhatsApp Web double gives WhatsApp's own id (the page made it); the simulator makes one.
    const full = { ...record, messageId: record.messageId ?? `SIM${(this.records.length + 1).toString(36).toUpperCase()}_${hash(record.numberId).toString(36)}` };
    fs.writeSync(this.fd, `${JSON.stringify(full)}\n`);
    this.records.push(full);
    this.byId.set(full.messageId, full);
    return full;
  }

  /** The id WhatsApp gives a message it then refuses (ack ERROR): known to the sender, delivered to nobody. */
  refusedId(numberId: string): string {
    this.refused += 1;
    const id = `SIMX${this.clock.now().toString(36).toUpperCase()}${this.refused.toString(36).toUpperCase()}_${hash(numberId).toString(36)}`;
    fs.appendFileSync(this.refusedFile, `${id}\n`);
    this.refusedIds.add(id);
    return id;
  }

  private refused = 0;

  find(numberId: string, chatId: string, text: string, after: number): DeliveryRecord | undefined {
    return this.records.find((r) => r.numberId === numberId && r.chatId === chatId && r.text === text && r.at >= after);
  }

  /** Every delivery, read back from the file: what each contact really received. */
  static readRecord(recordFile: string): DeliveryRecord[] {
    if (!fs.existsSync(recordFile)) return [];
    return fs
      .readFileSync(recordFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as DeliveryRecord];
        } catch {
          return [];
        }
      });
  }

  pickReply(random: Random): string {
    if (random.next() < this.behaviour.optOutShare) return random.pick(OPT_OUTS);
    return random.next() < this.behaviour.doubtShare ? random.pick(DOUBTFUL) : random.pick(REPLIES);
  }

  /** Contacts start blocking one number from now (the demo's fault), or every number (behaviour.blockPercent). */
  startBlocking(numberId: string, percent: number): void {
    this.blocking.set(numberId, { from: this.clock.now(), percent });
  }

  private blocking = new Map<string, { from: number; percent: number }>();

  private blocks(record: DeliveryRecord): boolean {
    const own = this.blocking.get(record.numberId);
    const b = this.behaviour;
    const percent = own && record.at >= own.from ? own.percent : record.at >= b.blockFrom ? b.blockPercent : 0;
    return percent > 0 && hash(`${this.seed}:block:${record.chatId}`) % 100 < percent;
  }

  private open = true;

  close(): void {
    this.open = false;
    fs.closeSync(this.fd);
  }
}
