import type { SimFault } from '../../shared/numbers';
import { hash } from '../core/hash';
import type { DriverEmitter, DriverErrorCode, DriverEvents, NumberState } from './driver';
import { SAMPLE_MEDIA_TYPE, type SampleMediaKind } from './sample-media';
import type { SimWorld } from './sim-world';
import { phoneOfWid } from './wweb/wids';

/** The demo's limits: a week's cycle for the new-chat cap, two hours of timelock. */
export const DEMO_CAP_CYCLE_MS = 7 * 86_400_000;
export const DEMO_TIMELOCK_MS = 2 * 3_600_000;

/** A scripted event for tests and demos: what happens, after how long from the call to `script`. */
export type SimStep =
  | { afterMs: number; do: 'disconnect' | 'reconnect' | 'conflict' | 'logout' | 'ban' | 'phone_offline' | 'phone_online' }
  | { afterMs: number; do: 'reply'; chatId: string; body: string; media?: SampleMediaKind }
  | { afterMs: number; do: 'uncertain'; value: boolean }
  /** The next send of this number meets this fault (queued: several steps, several sends). */
  | { afterMs: number; do: 'fault'; fault: SendFault };

/**
 * What can go wrong with one send, each as the real driver shows it: `not_sent` (a clear error, nothing went out),
 * `maybe_sent_delivered` (an error although the message went out), `maybe_sent_lost` (an error, and it did not),
 * `ack_error` (accepted, then refused by WhatsApp with ack ERROR).
 */
export type SendFault = 'not_sent' | 'maybe_sent_delivered' | 'maybe_sent_lost' | 'ack_error';

/** What the demo's problems reach of a simulated number (SimulatedDriver). */
export type SimTarget = {
  readonly numberId: string;
  readonly world: SimWorld;
  readonly emitter: DriverEmitter;
  state: NumberState;
  session: { phone: string; name: string } | undefined;
  generation: number;
  findSentUncertain: boolean;
  uncertainLooks: number;
  replySeq: number;
  readonly missedReplies: DriverEvents['incoming'][];
  readonly faults: SendFault[];
  setState(state: NumberState, error?: DriverErrorCode, detail?: string): void;
  becomeReady(): void;
  ban(): void;
  logout(): Promise<void>;
  emitIncoming(message: DriverEvents['incoming'], media?: SampleMediaKind): void;
};

/** One scripted step, played on the number at its time (see SimulatedDriver.script). */
export function applyStep(d: SimTarget, step: SimStep): void {
  switch (step.do) {
    case 'disconnect':
      d.setState('connecting');
      d.emitter.emit('disconnected', { reason: 'network', raw: 'TIMEOUT' });
      return;
    case 'reconnect':
    case 'phone_online':
      if (d.session) d.becomeReady();
      return;
    case 'phone_offline':
      d.setState('phone_offline');
      return;
    case 'conflict':
      d.setState('conflict');
      d.emitter.emit('disconnected', { reason: 'conflict', raw: 'CONFLICT' });
      return;
    case 'logout':
      void d.logout();
      return;
    case 'ban':
      d.ban();
      return;
    case 'reply':
      d.emitIncoming({
        // Unique even for two replies in the same millisecond (a manual clock): the inbox keeps one row per id.
        messageId: `IN_${d.world.clock.now()}_${++d.replySeq}`,
        chatId: step.chatId,
        body: step.body,
        type: step.media ? SAMPLE_MEDIA_TYPE[step.media] : 'chat',
        at: d.world.clock.now(),
        ...(step.media ? { media: true } : {}),
      }, step.media);
      return;
    case 'uncertain':
      d.findSentUncertain = step.value;
      return;
    case 'fault':
      d.faults.push(step.fault);
      return;
  }
}

/** The demo's problems (see SIM_FAULTS in shared/numbers.ts), each as the real driver shows it. */
export function playFault(d: SimTarget, fault: SimFault): void {
  const last = d.world.deliveriesOf(d.numberId).at(-1);
  switch (fault) {
    case 'in_doubt_next':
      // WhatsApp takes the next message and errors; the chat history then cannot be read: in doubt.
      d.faults.push('maybe_sent_delivered');
      d.uncertainLooks += 1;
      return;
    case 'lid_opt_out': {
      if (!last) return;
      const lid = `${hash(`lid:${last.chatId}`)}@lid`;
      const phone = phoneOfWid(last.chatId);
      if (phone) d.emitter.emit('lid', { lid, phone });
      d.emitIncoming({ messageId: `IN_LID_${d.world.clock.now()}`, chatId: lid, body: 'CANCELAR', type: 'chat', at: d.world.clock.now(), phone });
      return;
    }
    case 'offline_replies': {
      // Offline for a minute; two contacts write meanwhile; back online, the catch-up reads them.
      d.setState('connecting');
      d.emitter.emit('disconnected', { reason: 'network', raw: 'TIMEOUT' });
      const generation = d.generation;
      const chats = d.world.deliveriesOf(d.numberId).slice(-2).map((r) => r.chatId);
      void d.world.clock.sleep(30_000).then(() => {
        const bodies = ['¿Todavía tienen la promoción?', 'BAJA'];
        for (const [i, chatId] of chats.entries()) d.missedReplies.push({ messageId: `IN_OFF_${d.world.clock.now()}_${i}`, chatId, body: bodies[i % 2] ?? 'Hola', type: 'chat', at: d.world.clock.now() });
      });
      void d.world.clock.sleep(60_000).then(() => generation === d.generation && d.becomeReady());
      return;
    }
    case 'opened_elsewhere':
      // WhatsApp Web opened with this number in another browser: WhatsApp keeps one web session and drops this one.
      applyStep(d, { afterMs: 0, do: 'conflict' });
      return;
    case 'unlinked':
      // "Cerrar sesión" on the phone's linked devices: the session is gone, a new QR is needed.
      applyStep(d, { afterMs: 0, do: 'logout' });
      return;
    case 'contacts_block':
      // From now on 40 % of the people this number writes to block it: their messages stay at one tick.
      d.world.startBlocking(d.numberId, 40);
      return;
    case 'whatsapp_changed':
      // WhatsApp Web as served changed in a way this version does not know (the shim finds a shape it cannot patch):
      // the number stops sending until an update; Reintentar in the demo stands for the update arriving.
      d.setState('wa_changed', undefined, 'shim: msgkey-serialized (WAWebMsgKey not found)');
      return;
    case 'cap_warning':
      // WhatsApp's first warning: 76 of its 100 messages to new people this week are used.
      d.world.reach.setCap(d.numberId, { total: 100, used: 76, cycleMs: DEMO_CAP_CYCLE_MS });
      return;
    case 'cap_reached':
      // The cap is reached: messages to new people wait for the next cycle (a week), those who wrote go on.
      d.world.reach.setCap(d.numberId, { total: 100, used: 100, cycleMs: DEMO_CAP_CYCLE_MS });
      return;
    case 'timelock':
      // WhatsApp stops the number from starting new chats for two hours.
      d.world.reach.timelock(d.numberId, DEMO_TIMELOCK_MS);
      return;
    case 'passkey':
      // The phone closes this session; linking again, WhatsApp asks for a passkey ("Continuar en WhatsApp Web").
      d.world.passkeyNext.add(d.numberId);
      applyStep(d, { afterMs: 0, do: 'logout' });
      return;
    case 'ready_never_comes': {
      // WhatsApp Web reloads itself and never finishes loading (wwebjs 201919): "Conectando…" under the ready
      // watchdog, then ready_timeout and the manager's restart, which loads fine. Never said as a crash first (its
      // advice, "reinicia la computadora", showed for two seconds: #30 item 8).
      const generation = ++d.generation;
      d.setState('connecting');
      void d.world.clock.sleep(d.world.behaviour.readyWatchdogMs).then(() => {
        if (generation === d.generation && d.state === 'connecting') d.setState('error', 'ready_timeout', 'ready did not come');
      });
      return;
    }
  }
}
