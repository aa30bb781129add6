/**
 * Where a crash test's child process kills itself with SIGKILL, by design inside the send window rather than at a
 * random moment (which mostly lands while the app starts). Each point wraps the one real method it names, so the
 * kill happens exactly there, with everything before it durable and nothing after it done.
 */
import { Outbox } from '../../../electron/campaigns/outbox';
import { SimWorld, SimulatedDriver } from '../../../electron/whatsapp';

export const KILL_POINTS = ['after_sending', 'after_deliver', 'after_sent', 'in_reconcile', 'in_retry'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

/** Arms `point`: the `nth` time the app passes it in this life, the process dies there. */
export function armKillPoint(point: KillPoint, nth: number): void {
  let count = 0;
  const hit = () => {
    count += 1;
    if (count === nth) die();
  };
  switch (point) {
    case 'after_sending': {
      // `sending` is committed; the driver has not been called.
      const original = Outbox.prototype.markSending;
      Outbox.prototype.markSending = function (this: Outbox, ...args: Parameters<Outbox['markSending']>) {
        const marked = original.apply(this, args);
        if (marked) hit();
        return marked;
      };
      return;
    }
    case 'after_deliver': {
      // WhatsApp has the message; the app has not recorded `sent` (the window findSent exists for).
      const original = SimWorld.prototype.deliver;
      SimWorld.prototype.deliver = function (this: SimWorld, ...args: Parameters<SimWorld['deliver']>) {
        const record = original.apply(this, args);
        hit();
        return record;
      };
      return;
    }
    case 'after_sent': {
      const original = Outbox.prototype.markSent;
      Outbox.prototype.markSent = function (this: Outbox, ...args: Parameters<Outbox['markSent']>) {
        original.apply(this, args);
        hit();
      };
      return;
    }
    case 'in_reconcile': {
      // Recovery asked WhatsApp and got its answer, and has not written it down.
      const original = SimulatedDriver.prototype.findSent;
      SimulatedDriver.prototype.findSent = async function (this: SimulatedDriver, ...args: Parameters<SimulatedDriver['findSent']>) {
        const found = await original.apply(this, args);
        hit();
        return found;
      };
      return;
    }
    case 'in_retry': {
      // A send failed and was put back with a backoff.
      const original = Outbox.prototype.requeue;
      Outbox.prototype.requeue = function (this: Outbox, ...args: Parameters<Outbox['requeue']>) {
        original.apply(this, args);
        if (args[1] !== null) hit();
      };
      return;
    }
  }
}
