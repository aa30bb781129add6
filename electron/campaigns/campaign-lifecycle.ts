import { AbTests } from './ab-tests';
import type { EngineDeps } from './engine-context';
import { FollowUps } from './follow-ups';

/**
 * A campaign's life outside its sends, looked at from the lanes' turns: a scheduled one starts at its time (a
 * follow-up first takes who engaged with its first campaign), an A/B test picks its best version, a finished one
 * completes (not while an A/B test's rest of the audience is still to come).
 */
export class CampaignLifecycle {
  readonly followUps: FollowUps;
  readonly abTests: AbTests;
  /** Called at most once a second of the app's clock while numbers send (the recurring campaigns look then). */
  readonly ticks: (() => void)[] = [];
  /** Scheduled starts are looked for at most once a second of clock time, not before every send. */
  private nextPromoteCheck = 0;

  constructor(
    private readonly deps: Pick<EngineDeps, 'db' | 'repo' | 'logger' | 'clock'>,
    changed: (campaignId: number) => void,
  ) {
    this.abTests = new AbTests({ db: deps.db, repo: deps.repo, logger: deps.logger, now: () => deps.clock.now(), changed });
    this.followUps = new FollowUps({ repo: deps.repo, logger: deps.logger, changed });
  }

  /** What is being filled now (a follow-up's contacts, an A/B test's rest): the engine's stop waits for it. */
  filling(): Promise<unknown>[] {
    return [...this.followUps.filling.values(), ...this.abTests.filling.values()];
  }

  /** Something changed (a launch, a resume): scheduled campaigns are looked at on the next turn. */
  lookNow(): void {
    this.nextPromoteCheck = 0;
  }

  promoteScheduled(dirty: (campaignId: number) => void): void {
    const { repo, clock } = this.deps;
    if (clock.now() < this.nextPromoteCheck) return;
    this.nextPromoteCheck = clock.now() + 1000;
    for (const id of repo.ids(['scheduled'])) {
      const { startAt, followUpOf } = repo.settings(id);
      if (startAt !== null && startAt > clock.now()) continue;
      // A follow-up's contacts are known only now: who engaged with the first message by this moment.
      if (followUpOf) this.followUps.due(id, followUpOf.campaignId);
      else {
        repo.transition(id, 'running');
        dirty(id);
      }
    }
    this.abTests.due();
    for (const tick of this.ticks) tick();
  }

  completeFinished(dirty: (campaignId: number) => void): void {
    const { repo } = this.deps;
    for (const id of repo.ids(['running'])) {
      // An A/B test's rest of the audience is still to come: its test share being done is not its end.
      if (repo.remaining(id) === 0 && !this.abTests.waiting(id)) {
        repo.transition(id, 'completed');
        dirty(id);
      }
    }
  }
}
