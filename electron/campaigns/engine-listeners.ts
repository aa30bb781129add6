import { heldBy } from '../../shared/wa-limits';
import type { DriverEvents } from '../whatsapp';
import type { WaLimitsStore } from '../whatsapp/wa-limits-store';
import type { EngineContext, EngineDeps } from './engine-context';
import type { Lane } from './lane';
import { numberLost, whatsAppChanged } from './lost-numbers';
import type { Receipts } from './receipts';
import type { Replies } from './replies';

/** A refusal (ack −1) this long after a limit ended is still that limit's: it was on its way. */
const REFUSAL_GRACE_MS = 10 * 60_000;
const LOST_STATES = new Set(['logged_out', 'banned', 'conflict']);

/** What of the engine its listeners reach. */
export type EngineHooks = {
  deps: EngineDeps;
  ctx: EngineContext;
  replies: Replies;
  receipts: Receipts;
  waLimits: WaLimitsStore;
  /** Each number's state as its events told us, so the send loop does not ask the database every time. */
  states: Map<string, string>;
  stopped: () => boolean;
  laneOf: (numberId: string) => Lane | undefined;
  ensureLane: (numberId: string) => Lane;
  wakeAll: (opts?: { reconcile?: boolean }) => void;
};

/**
 * What the world tells the engine, listened to from its start to its stop: each number's driver (receipts, replies,
 * LIDs, reconnections, WhatsApp's limits), the numbers' states (a lost number's campaigns wait for another), and the
 * disk having room again. Returns what unsubscribes them.
 */
export function engineListeners(h: EngineHooks): (() => void)[] {
  return [
    h.deps.sessions.onDriverEvent((numberId, event, payload) => {
      if (event === 'ack') onAck(h, numberId, payload as DriverEvents['ack']);
      if (event === 'incoming') {
        h.deps.repo.outbox.warmChanged();
        h.replies.onIncoming(numberId, payload as DriverEvents['incoming']).catch((error: unknown) => h.deps.logger.error({ err: error, numberId }, 'reply not recorded'));
      }
      if (event === 'lid') {
        const { lid, phone } = payload as DriverEvents['lid'];
        h.replies.learnLid(numberId, lid, phone);
      }
      if (event === 'ready' || event === 'disconnected') {
        const lane = h.laneOf(numberId);
        if (lane) lane.reconciled = false; // on every reconnection, reconcile before sending again
      }
      // After `ready`, and whenever WhatsApp Web says they changed: its limits are read again at once.
      if (event === 'ready' || event === 'limits') {
        const driver = h.deps.sessions.driver(numberId);
        if (driver) void h.waLimits.refresh(numberId, driver, 0);
      }
    }),
    h.deps.bus.subscribe((envelope) => {
      if (envelope.event === 'numbers.removed') {
        // Unlinked by the user: for its campaigns the number is lost, exactly as if the phone had logged out.
        const { id } = envelope.payload;
        h.states.delete(id);
        const label = (h.deps.db.prepare('SELECT label FROM numbers WHERE id = ?').pluck().get(id) as string | undefined) ?? id;
        numberLost(h.ctx, id, label, 'logged_out');
        h.wakeAll();
        return;
      }
      if (envelope.event !== 'numbers.changed') return;
      const { id, state, label } = envelope.payload;
      h.states.set(id, state);
      if (state === 'connected') h.ensureLane(id).wake();
      else if (LOST_STATES.has(state)) numberLost(h.ctx, id, label, state);
      else if (state === 'wa_changed') whatsAppChanged(h.ctx, id, label, (other) => h.states.get(other) === 'connected');
    }),
    // Space is back: receipts held in memory are written, and each lane first reconciles what may be half-recorded.
    h.deps.storage.onRecovered(() => {
      h.deps.repo.outbox.flushReceipts();
      h.wakeAll({ reconcile: true });
    }),
  ];
}

/**
 * A message WhatsApp refused (ack −1) while it limits reaching new people is that limit — "WhatsApp no lo
 * entregó: límite de contactos nuevos" — not a failure, and no brake counts it (#32). WhatsApp is asked at once.
 */
function onAck(h: EngineHooks, numberId: string, ack: DriverEvents['ack']): void {
  const driver = ack.ack === 'error' && !ack.reason ? h.deps.sessions.driver(numberId) : undefined;
  if (!driver?.limits) return h.receipts.onAck(ack);
  void h.waLimits.refresh(numberId, driver, 0).then((limits) => {
    if (h.stopped()) return;
    const hold = heldBy(limits, h.deps.clock.now(), REFUSAL_GRACE_MS);
    h.receipts.onAck(hold ? { messageId: ack.messageId, ack: ack.ack, at: ack.at, reason: 'wa_limit' } : ack);
    if (hold) h.laneOf(numberId)?.wake();
  });
}
