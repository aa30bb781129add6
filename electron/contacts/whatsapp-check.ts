import type { Clock } from '../core/clock';
import type { Random } from '../core/random';
import { AppError } from '../core/app-error';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../db';
import type { WhatsAppDriver } from '../whatsapp';
import type { ContactsRepo } from './contacts-repo';

/**
 * Spacing between look-ups: they are WhatsApp traffic too, so a real number asks gently; the simulator's
 * traffic risks nothing, so a demo number goes quicker.
 */
export const CHECK_SPACING_MS = { real: [1500, 4000], demo: [80, 250] } as const;

type Check = { jobId: number; listId: number; cancelled: boolean };

/** "Verificar en WhatsApp": asks a linked number which contacts of a list are on WhatsApp, one at a time. */
export class WhatsAppCheck {
  private running: Check | undefined;
  private nextJob = 1;

  constructor(
    private readonly deps: { db: Db; repo: ContactsRepo; bus: EventBus; clock: Clock; random: Random; logger: Logger },
  ) {}

  start(listId: number, driver: WhatsAppDriver | undefined, kind: 'real' | 'demo'): { jobId: number } {
    if (this.running) throw new AppError('check_running', 'a check is already running');
    this.deps.repo.list(listId);
    if (!driver) throw new AppError('no_connected_number', 'that number is not connected', 'numberId');
    const check: Check = { jobId: this.nextJob++, listId, cancelled: false };
    this.running = check;
    void this.run(check, driver, kind).finally(() => (this.running = undefined));
    return { jobId: check.jobId };
  }

  cancel(jobId: number): void {
    if (this.running?.jobId !== jobId) throw new AppError('not_found', `no running check ${jobId}`, 'jobId');
    this.running.cancelled = true;
  }

  private async run(check: Check, driver: WhatsAppDriver, kind: 'real' | 'demo'): Promise<void> {
    const members = this.deps.db
      .prepare('SELECT c.id, c.phone FROM contacts c JOIN list_members m ON m.contact_id = c.id WHERE m.list_id = ? ORDER BY c.id')
      .all(check.listId) as { id: number; phone: string }[];
    const tally = { jobId: check.jobId, listId: check.listId, done: 0, total: members.length, onWhatsApp: 0, notOnWhatsApp: 0 };
    const emit = (status: 'running' | 'done' | 'cancelled' | 'failed', error: string | null = null) =>
      this.deps.bus.emit('contacts.checkProgress', { ...tally, status, error });
    emit('running');
    const [min, max] = CHECK_SPACING_MS[kind];
    for (const member of members) {
      if (check.cancelled) return emit('cancelled');
      let chatId: string | null;
      try {
        chatId = await driver.resolve(member.phone);
      } catch (error) {
        this.deps.logger.warn({ err: error, listId: check.listId }, 'WhatsApp check stopped');
        emit('failed', error instanceof Error ? error.message : String(error));
        this.deps.bus.emit('contacts.changed', { reason: 'check' });
        return;
      }
      this.deps.repo.setWaStatus(member.id, chatId ? 'on_whatsapp' : 'not_on_whatsapp');
      tally.done += 1;
      if (chatId) tally.onWhatsApp += 1;
      else tally.notOnWhatsApp += 1;
      emit('running');
      if (tally.done < tally.total) await this.deps.clock.sleep(this.deps.random.int(min, max));
    }
    emit('done');
    this.deps.bus.emit('contacts.changed', { reason: 'check' });
  }
}
