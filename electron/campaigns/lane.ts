import type { LimitHold } from '../../shared/wa-limits';
import type { Clock } from '../core/clock';

/** One number's sending loop state: its pace (when the next send may go, what is left of the batch) and a wake-up. */
export class Lane {
  earliest = 0;
  batchLeft = 0;
  reconciled = false;
  /** Its number was unlinked: the loop ends (a new lane starts if it connects again). */
  ended = false;
  /** Times of this number's sends in the last minute or so, oldest first (null until read from the outbox). */
  recent: number[] | null = null;
  waiting: { campaignId: number; until: number; why: string } | null = null;
  /** Chats (and phones) the last catch-up could not read, and when it is tried again: nothing goes to them meanwhile. */
  unreadChats = new Set<string>();
  catchUpAgainAt = 0;
  /** A limit WhatsApp states on this number's messages to new people, as of its last turn (#32). */
  held: LimitHold | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(
    readonly numberId: string,
    private readonly clock: Clock,
  ) {}

  /** Sleeps up to `ms` of clock time, or until woken (a pause, a resume, a reconnection, a new campaign). */
  /** Whether the lane slept since the last time this was asked (a lane that never does is spinning). */
  takeSlept(): boolean {
    const slept = this.slept;
    this.slept = false;
    return slept;
  }

  private slept = true;

  idle(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.slept = true;
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      void this.clock.sleep(Math.max(0, ms)).then(resolve);
    });
  }

  /** The engine stops: this wake-up and every later idle return at once (a turn in flight finishes quickly). */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private closed = false;

  wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }
}
