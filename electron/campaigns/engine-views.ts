import type { Progress } from '../../shared/campaigns';
import { heldBy } from '../../shared/wa-limits';
import { dayBounds } from '../../shared/time-zone';
import type { WaLimitsStore } from '../whatsapp/wa-limits-store';
import type { CampaignFacts } from './campaign-facts';
import type { CampaignEvents, EngineDeps } from './engine-context';
import { projectFinish } from './eta';
import type { Lane } from './lane';
import type { NumberHistory } from './number-history';
import { dailyCap, nextAllowed } from './pacer';

/** When a hold with no known end (a limit WhatsApp gave no date for) is looked at again. */
export const HOLD_RECHECK_MS = 3_600_000;

/**
 * What the engine shows without sending: a campaign's live progress (its numbers against their caps, the finish, the
 * holds), when a queued API message is expected to go, a number's cap today. Reads the engine's lanes, never moves them.
 */
export class EngineViews {
  constructor(
    private readonly deps: EngineDeps,
    private readonly facts: CampaignFacts,
    private readonly numberHistory: NumberHistory,
    private readonly waLimits: WaLimitsStore,
    private readonly events: CampaignEvents,
    private readonly lanes: () => Map<string, Lane>,
    private readonly numberState: (numberId: string) => string | undefined,
  ) {}

  /**
   * What WhatsApp's limits hold of a campaign: when every number it still has is limited, its queued messages to
   * people who never wrote to them wait for the first limit to end (a number without a limit would send them).
   */
  heldOf(campaignId: number): Progress['held'] {
    const numbers = this.deps.repo.numbersOf(campaignId).filter((n) => !n.lost).map((n) => n.id);
    const now = this.deps.clock.now();
    const holds = numbers.map((id) => heldBy(this.waLimits.get(id), now));
    if (numbers.length === 0 || holds.some((h) => h === null)) return [];
    const count = this.deps.repo.outbox.queuedCold(campaignId, numbers);
    if (count === 0) return [];
    const first = holds.reduce((a, b) => ((b!.until ?? Infinity) < (a!.until ?? Infinity) ? b : a))!;
    return [{ reason: first.reason, count, until: first.until ?? now + HOLD_RECHECK_MS }];
  }

  /**
   * When a queued message from the user's systems is expected to go: the soonest of its connected numbers by the
   * pacer (the spacing, the minute's and the day's caps, the month's budget), after the messages queued before it.
   * Null when none of its numbers is connected.
   */
  expectedAt(sendId: number): number | null {
    const { db, clock } = this.deps;
    const row = db.prepare("SELECT campaign_id, number_id FROM sends WHERE id = ? AND state = 'queued'").get(sendId) as { campaign_id: number; number_id: string | null } | undefined;
    if (!row) return null;
    const candidates = row.number_id ? [row.number_id] : this.deps.repo.numbersOf(row.campaign_id).filter((n) => !n.lost).map((n) => n.id);
    const settings = this.facts.pacerSettingsOf(row.campaign_id);
    const ahead = db
      .prepare("SELECT COUNT(*) FROM sends s JOIN campaigns c ON c.id = s.campaign_id AND c.kind = 'api' AND c.state = 'running' WHERE s.state = 'queued' AND s.id < ?")
      .pluck()
      .get(sendId) as number;
    const meanGap = (settings.pace.gapMs[0] + settings.pace.gapMs[1]) / 2;
    let best: number | null = null;
    for (const numberId of candidates) {
      const lane = this.lanes().get(numberId);
      if (!lane || this.numberState(numberId) !== 'connected') continue;
      const first = nextAllowed({ now: clock.now(), earliest: lane.earliest, history: this.numberHistory.history(lane), settings }).at;
      const at = Math.round(first + (ahead / candidates.length) * meanGap);
      if (Number.isFinite(at) && (best === null || at < best)) best = at;
    }
    return best;
  }

  /** Today's cap of one of the campaign's numbers: its pace's, or the warm-up's for a new number. */
  dailyCapOf(campaignId: number, numberId: string): number {
    return dailyCap(this.facts.pacerSettingsOf(campaignId).pace, () => this.numberHistory.warmupDay(numberId, this.deps.clock.now()));
  }

  /** What the live view shows: counts, pace, each number against its daily cap, the wait, the last events. */
  progress(campaignId: number): Progress {
    const { repo, clock, db, settings } = this.deps;
    const row = repo.row(campaignId);
    const counts = repo.outbox.counts(campaignId);
    const pacer = this.facts.pacerSettingsOf(campaignId);
    const zone = settings.get().timeZone;
    const numbers = this.deps.sessions.list();
    const perNumber = repo.numbersOf(campaignId).map((n) => {
      const number = numbers.find((x) => x.id === n.id);
      // What went out today, as Inicio and the report count it (the pacer's own count, of attempts, is stricter).
      const day = dayBounds(clock.now(), zone);
      return { numberId: n.id, label: number?.label ?? n.label, state: number?.state ?? (n.lost ? 'logged_out' : 'stopped'), sentToday: repo.outbox.wentOutBetween(n.id, day.start, day.end), dailyCap: this.dailyCapOf(campaignId, n.id), lost: n.lost };
    });
    const pace = db.prepare('SELECT COUNT(*) FROM sends WHERE campaign_id = ? AND sending_at > ?').pluck().get(campaignId, clock.now() - 60_000) as number;
    const active = perNumber.filter((n) => !n.lost && n.state === 'connected');
    const remaining = counts.queued + counts.sending;
    // The finish: each active number's share at the pace's average rate, inside the window and under its daily cap.
    const share = Math.ceil(remaining / Math.max(1, active.length));
    const finishes = active.map((n) =>
      projectFinish({ now: clock.now(), count: share, settings: pacer, sentToday: n.sentToday, warmupDay: (at) => this.numberHistory.warmupDay(n.numberId, at) }),
    );
    const eta = remaining > 0 && active.length > 0 && row.state === 'running' && finishes.every((f) => f !== null) ? Math.max(...(finishes as number[])) : null;
    // Sends WhatsApp's limits hold finish no earlier than the limit's end.
    const held = this.heldOf(campaignId);
    const waiting = [...this.lanes().values()].map((l) => l.waiting).find((w) => w?.campaignId === campaignId && w.why !== 'spacing') ?? null;
    return {
      campaignId,
      state: row.state,
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      cancelled: repo.cancelledCount(row),
      pace,
      perNumber,
      eta: eta !== null && held.length > 0 ? Math.max(eta, ...held.map((h) => h.until)) : eta,
      waiting: waiting ? { until: waiting.until, why: waiting.why } : null,
      held,
      limitUndelivered: repo.outbox.limitUndelivered(campaignId),
      pauseReason: row.pause_reason,
      pauseDetail: row.pause_detail,
      needsConfirmation: row.needs_confirmation === 1,
      events: this.events.of(campaignId),
    };
  }
}
