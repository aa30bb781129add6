import type { Logger } from '../core/logger';
import type { CampaignsRepo } from './campaigns-repo';

/**
 * Follow-ups (#35 item 3) when they are due: filled then from who read or replied to the first message by that
 * moment (never who never opened it, never an opt-out), and run like any campaign. A follow-up whose first campaign
 * was cancelled is cancelled too; one whose first campaign has not started, or is paused, waits for it.
 */
export class FollowUps {
  /** Outboxes being filled: the engine's stop waits for them (no write after the database closes). */
  readonly filling = new Map<number, Promise<void>>();

  constructor(
    private readonly deps: { repo: CampaignsRepo; logger: Logger; changed(id: number): void },
  ) {}

  /** A scheduled follow-up whose time has come. Repeatable: a fill cut short by a crash is done again, rows kept. */
  due(id: number, of: number): void {
    const { repo } = this.deps;
    if (this.filling.has(id)) return;
    const first = repo.row(of).state;
    if (first === 'cancelled') {
      repo.transition(id, 'cancelled');
      this.deps.changed(id);
      return;
    }
    if (first !== 'running' && first !== 'completed') return;
    const filling = repo
      .fillOutbox(id)
      .then(() => {
        // Nobody engaged: it runs with no one to write to and completes at once, saying so in its report.
        if (repo.row(id).state === 'scheduled') repo.transition(id, 'running');
        this.deps.changed(id);
      })
      .catch((error: unknown) => this.deps.logger.warn({ err: error, id }, 'follow-up not filled'))
      .finally(() => this.filling.delete(id));
    this.filling.set(id, filling);
  }
}
