import type { Db } from '../db';
import type { Logger } from '../core/logger';
import { chooseVersion, versionStats } from './ab-stats';
import type { CampaignsRepo } from './campaigns-repo';
import { awaitsChoice } from './ab-versions';

const HOUR_MS = 3_600_000;

/**
 * A/B tests (#35 item 5) whose wait is over: the best version by the chosen rate is picked, kept with the campaign
 * with how sure the pick was, and the rest of the audience is added to its outbox with that version.
 */
export class AbTests {
  /** Outboxes being filled: the engine's stop waits for them. */
  readonly filling = new Map<number, Promise<void>>();

  constructor(private readonly deps: { db: Db; repo: CampaignsRepo; logger: Logger; now: () => number; changed(id: number): void }) {}

  /** Whether a running campaign must stay open with nothing queued: its rest waits for the choice. */
  waiting(id: number): boolean {
    return awaitsChoice(this.deps.repo.settings(id).abTest);
  }

  /** Looks at the running and paused A/B tests; chooses for those whose wait is over. */
  due(): void {
    const { repo, db, now } = this.deps;
    for (const id of repo.ids(['running', 'paused'])) {
      if (this.filling.has(id)) continue;
      const row = repo.row(id);
      const settings = repo.settings(id);
      const ab = settings.abTest;
      if (!ab || !awaitsChoice(ab) || row.started_at === null || now() < row.started_at + ab.waitHours * HOUR_MS) continue;
      // Chosen once: a fill a crash cut short goes on with the version already chosen (the pick is kept first, the
      // moment it was made only once the rest is in the outbox).
      if (ab.winner === undefined) {
        repo.outbox.flushReceipts();
        const { winner, confidence } = chooseVersion(versionStats(db, id, [row.body, ...ab.variants], now()), ab.metric);
        db.prepare("UPDATE campaigns SET settings = json_set(settings, '$.abTest.winner', ?, '$.abTest.confidence', ?), updated_at = ? WHERE id = ?").run(winner, confidence, now(), id);
      }
      const filling = repo
        .fillOutbox(id)
        .then(() => {
          db.prepare("UPDATE campaigns SET settings = json_set(settings, '$.abTest.decidedAt', ?) WHERE id = ?").run(now(), id);
          this.deps.changed(id);
        })
        .catch((error: unknown) => this.deps.logger.warn({ err: error, id }, 'the rest of an A/B test not filled'))
        .finally(() => this.filling.delete(id));
      this.filling.set(id, filling);
    }
  }
}
