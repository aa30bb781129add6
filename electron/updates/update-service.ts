import type { UpdateStatus } from '../../shared/types';
import { AppError } from '../core/app-error';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { FeedRelease } from './feed';
import type { UpdateBackend } from './feed-updater';

/** How often the feed is asked again while the app runs (and once at start). */
export const CHECK_EVERY_MS = 4 * 3_600_000;

export type UpdateServiceDeps = {
  backend: UpdateBackend;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  currentVersion: string;
  /** `install`: download and install on quit (the desktop app); `notify`: only say a new version exists (web mode). */
  mode: UpdateStatus['mode'];
  /** Whether a campaign is sending now: the app never restarts under it. */
  isSending: () => boolean;
};

/**
 * The app's own updates: a check at start, every few hours and at once when WhatsApp Web changed under a number;
 * in the desktop app the new version downloads in the background and installs on the next quit, or at "Reiniciar
 * ahora" when nothing is sending. Every outcome is a state the UI shows; a failed check or download leaves the
 * running version as it is.
 */
export class UpdateService {
  private state: UpdateStatus;
  private release: FeedRelease | null = null;
  private running: Promise<UpdateStatus> | null = null;
  private stopped = true;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly deps: UpdateServiceDeps) {
    this.state = { state: 'idle', current: deps.currentVersion, version: null, notes: null, progress: null, error: null, checkedAt: null, mode: deps.mode, sending: false };
  }

  status(): UpdateStatus {
    return { ...this.state, sending: this.deps.isSending() };
  }

  private set(patch: Partial<UpdateStatus>): void {
    this.state = { ...this.state, ...patch };
    this.deps.bus.emit('updates.changed', this.status());
  }

  /** One check (joined by any other asked meanwhile), and in install mode the download of what it found. */
  check(): Promise<UpdateStatus> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<UpdateStatus> {
    // Downloaded already: it waits for the quit; looking again would only download it twice.
    if (this.state.state === 'ready') return this.status();
    this.set({ state: 'checking', error: null });
    let release: FeedRelease | null;
    try {
      release = await this.deps.backend.check();
    } catch (error) {
      return this.fail(error, 'update check failed');
    }
    const checkedAt = this.deps.clock.now();
    if (!release) {
      this.release = null;
      this.set({ state: 'up_to_date', version: null, notes: null, progress: null, checkedAt });
      return this.status();
    }
    this.release = release;
    this.set({ state: 'available', version: release.version, notes: release.releaseNotes, progress: null, checkedAt });
    if (this.deps.mode === 'notify') return this.status();
    this.set({ state: 'downloading', progress: 0 });
    try {
      await this.deps.backend.download(release, (fraction) => {
        // Progress at whole percents: a big download does not flood the UI.
        if (Math.floor(fraction * 100) !== Math.floor((this.state.progress ?? 0) * 100)) this.set({ progress: fraction });
      });
    } catch (error) {
      return this.fail(error, 'update download failed');
    }
    this.deps.logger.info({ version: release.version }, 'update downloaded, installs on quit');
    this.set({ state: 'ready', progress: 1 });
    return this.status();
  }

  private fail(error: unknown, what: string): UpdateStatus {
    const code = error instanceof AppError ? error.code : 'update_feed_down';
    this.deps.logger.warn({ err: error }, what);
    this.set({ state: 'error', error: code, progress: null, checkedAt: this.deps.clock.now() });
    return this.status();
  }

  /** "Reiniciar ahora": only with an update ready, only while nothing is sending, only in the desktop app. */
  restart(): void {
    if (this.deps.mode !== 'install' || !this.deps.backend.install) throw new AppError('not_available', 'web mode does not install updates');
    if (this.state.state !== 'ready') throw new AppError('illegal_transition', 'no update is ready to install');
    if (this.deps.isSending()) throw new AppError('busy_sending', 'a campaign is sending: pause it or let it finish first');
    this.deps.logger.info({ version: this.state.version }, 'restarting to install the update');
    this.deps.backend.install();
  }

  /** The check at start and every CHECK_EVERY_MS; `checkNow()` (a WhatsApp change) wakes it at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = (async () => {
      while (!this.stopped) {
        await this.check();
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          void this.deps.clock.sleep(CHECK_EVERY_MS).then(resolve);
        });
      }
    })();
  }

  checkNow(): void {
    if (this.stopped) return; // tests and tools that never started the checks do not reach for the feed
    const wake = this.wake;
    this.wake = null;
    if (wake) wake();
    else void this.check();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running?.catch(() => undefined);
  }
}
