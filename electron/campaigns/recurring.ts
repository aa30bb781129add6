import { CampaignInputSchema, type CampaignInput, type RecurringInput, type RecurringPlan } from '../../shared/campaigns';
import type { Segment } from '../../shared/segments';
import { AppError } from '../core/app-error';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { statement, type Db } from '../db';
import type { CampaignsRepo } from './campaigns-repo';
import { startOf } from './recipients';

type DbPlan = { id: number; name: string; input: string; every: 'week' | 'month'; cap_days: number; next_at: number; active: number; created_at: number };

const DAY_MS = 86_400_000;

/** The same day and time a week or a calendar month later (the 31st becomes the month's last day). */
export function nextRun(at: number, every: 'week' | 'month'): number {
  if (every === 'week') return at + 7 * DAY_MS;
  const date = new Date(at);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + 1);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, last));
  return date.getTime();
}

/**
 * Recurring campaigns (#35 item 4): each plan makes a campaign of its own when its time comes — its lists and
 * segments read again then, so "nuevos clientes del mes" are this month's — with its own report, and never writes
 * twice to the same contact within the plan's frequency cap (those are skipped with the reason). A run is made
 * once: made and the next time set in one transaction, then filled and started (repeatable after a crash).
 */
export class RecurringRuns {
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Db;
      repo: CampaignsRepo;
      clock: Clock;
      logger: Logger;
      /** A saved segment as it is now (throws when its rules name what is gone). */
      segment: (id: number) => Segment | null;
      runName: (name: string, at: number) => string;
      /** A run's follow-up name, when its plan has one ("Semanal · 7 dic · seguimiento"). */
      followUpName: (name: string) => string;
      changed: (campaignId: number) => void;
    },
  ) {}

  create(plan: RecurringInput): RecurringPlan {
    const { db, clock } = this.deps;
    const first = startOf(plan.input.settings, clock.now());
    const input: CampaignInput = { ...plan.input, settings: { ...plan.input.settings, startAt: null, ...(plan.confirmNoConsent ? { consentConfirmed: true } : {}) } };
    const id = Number(
      db
        .prepare('INSERT INTO recurring (name, input, every, cap_days, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(plan.input.name, JSON.stringify(input), plan.every, plan.capDays, first, clock.now()).lastInsertRowid,
    );
    return this.view(id);
  }

  list(): RecurringPlan[] {
    return (statement(this.deps.db, 'SELECT id FROM recurring ORDER BY created_at DESC, id DESC').pluck().all() as number[]).map((id) => this.view(id));
  }

  view(id: number): RecurringPlan {
    const row = this.row(id);
    const runs = statement(this.deps.db, 'SELECT id FROM campaigns WHERE recurring_id = ? ORDER BY id DESC').pluck().all(id) as number[];
    return {
      id: row.id,
      name: row.name,
      every: row.every,
      capDays: row.cap_days,
      nextAt: row.next_at,
      active: row.active === 1,
      createdAt: row.created_at,
      runs: runs.map((runId) => {
        const view = this.deps.repo.view(runId);
        return { id: view.id, name: view.name, state: view.state, createdAt: view.createdAt, total: view.total, sent: view.counts.sent + view.counts.delivered + view.counts.read, skipped: view.counts.skipped };
      }),
    };
  }

  setActive(id: number, active: boolean): RecurringPlan {
    this.row(id);
    statement(this.deps.db, 'UPDATE recurring SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
    return this.view(id);
  }

  /** The plan goes; its runs stay, each with its report. */
  delete(id: number): { id: number } {
    this.row(id);
    statement(this.deps.db, 'DELETE FROM recurring WHERE id = ?').run(id);
    return { id };
  }

  start(): void {
    this.stopped = false;
  }

  /** Stopped (a quit, a restore): no run is made until started again; a look under way is waited for. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.current;
  }

  private current: Promise<void> = Promise.resolve();
  private looking = false;

  /**
   * Looked at from the engine's turns (at most once a second of the app's clock, while a number is connected): no
   * timer of its own, so a quit is never held by one. A look under way is not doubled.
   */
  poke(): void {
    if (this.stopped || this.looking) return;
    this.looking = true;
    this.current = this.due()
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'recurring run failed'))
      .finally(() => (this.looking = false));
  }

  /** Makes the runs whose time has come, then fills and starts every run not started yet. */
  async due(): Promise<void> {
    const { db, clock, repo } = this.deps;
    const plans = statement(db, 'SELECT * FROM recurring WHERE active = 1 AND next_at <= ?').all(clock.now()) as DbPlan[];
    for (const plan of plans) {
      const input = CampaignInputSchema.parse(JSON.parse(plan.input));
      try {
        const segments = (input.segmentIds ?? []).map((id) => {
          const segment = this.deps.segment(id);
          if (!segment) throw new AppError('not_found', `no segment ${id}`, 'segmentIds');
          return segment;
        });
        db.transaction(() => {
          const id = repo.create({ ...input, name: this.deps.runName(plan.name, plan.next_at) }, segments);
          db.prepare('UPDATE campaigns SET recurring_id = ? WHERE id = ?').run(plan.id, id);
          // Runs missed while the app was closed are not sent in a burst: the next one is the next to come.
          let next = nextRun(plan.next_at, plan.every);
          while (next <= clock.now()) next = nextRun(next, plan.every);
          db.prepare('UPDATE recurring SET next_at = ? WHERE id = ?').run(next, plan.id);
        })();
      } catch (error) {
        // A segment whose rules lost their tag or list: the plan stops and says so rather than writing to whoever.
        this.deps.logger.warn({ err: error, plan: plan.id }, 'recurring plan paused');
        db.prepare('UPDATE recurring SET active = 0 WHERE id = ?').run(plan.id);
      }
    }
    for (const id of statement(db, "SELECT id FROM campaigns WHERE recurring_id IS NOT NULL AND state = 'draft'").pluck().all() as number[]) {
      if (this.filling.has(id)) continue; // a look that came meanwhile (a plan just made) leaves it to the first
      this.filling.add(id);
      try {
        await repo.fillOutbox(id);
        if (repo.row(id).state === 'draft') repo.transition(id, 'running');
        // A plan with a follow-up: each run gets its own, as a campaign launched by hand does.
        const followUp = repo.createFollowUp(id, this.deps.followUpName(repo.row(id).name));
        if (followUp !== null) this.deps.changed(followUp);
        this.deps.changed(id);
      } finally {
        this.filling.delete(id);
      }
    }
  }

  private readonly filling = new Set<number>();

  private row(id: number): DbPlan {
    const row = statement(this.deps.db, 'SELECT * FROM recurring WHERE id = ?').get(id) as DbPlan | undefined;
    if (!row) throw new AppError('not_found', `no recurring campaign ${id}`, 'id');
    return row;
  }
}
