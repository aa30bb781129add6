import type { Progress } from '../../shared/campaigns';
import type { EngineDeps } from './engine-context';

const PROGRESS_EVERY_MS = 300;

/**
 * A campaign's live progress, pushed to the UI at most every 300 ms, in clock time and in real time alike: a day
 * replayed in virtual time does not flood the UI (or the CPU) with a progress per send.
 */
export class ProgressPush {
  private dirty = new Set<number>();
  private scheduled = false;
  private lastFlush = 0;

  constructor(
    private readonly deps: Pick<EngineDeps, 'bus' | 'clock' | 'logger'>,
    /** The campaign's progress now; null once the engine stopped (nothing more is pushed). */
    private readonly progress: (campaignId: number) => Progress | null,
  ) {}

  changed(campaignId: number): void {
    this.dirty.add(campaignId);
    if (this.scheduled) return;
    this.scheduled = true;
    void this.deps.clock.sleep(PROGRESS_EVERY_MS).then(() => {
      const wait = this.lastFlush + PROGRESS_EVERY_MS - Date.now();
      if (wait > 0) {
        setTimeout(() => this.flush(), wait);
        return;
      }
      this.flush();
    });
  }

  private flush(): void {
    this.scheduled = false;
    this.lastFlush = Date.now();
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      // A timer's throw would end the process: one campaign that cannot be shown is logged, not fatal.
      try {
        const progress = this.progress(id);
        if (progress) this.deps.bus.emit('campaigns.progress', progress);
      } catch (error) {
        this.deps.logger.error({ err: error, campaignId: id }, 'progress failed');
      }
    }
  }
}
