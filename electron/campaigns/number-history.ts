import type { PacerSettings, History } from './pacer';
import { HARD_PER_MINUTE, PRESETS } from './pacer';
import type { EngineDeps } from './engine-context';
import type { Lane } from './lane';
import type { CampaignFacts } from './campaign-facts';
import type { UnansweredCounter } from '../health/unanswered';
import type { WaLimitsStore } from '../whatsapp/wa-limits-store';
import { warmupStep } from '../health/warmup';
import { dayBounds, daysBetween } from '../../shared/time-zone';

/** How far back the pacer looks at a number's sends (its sliding minute, and a little more). */
const RECENT_MS = 66_000;

/**
 * A number's sending history as the pacer reads it before each send: the last minute's sends, the day's count, where
 * its warm-up stands and its month of unanswered messages. Read from the outbox once (a restart resets nothing), then
 * kept as the engine sends.
 */
export class NumberHistory {
  constructor(
    private readonly deps: Pick<EngineDeps, 'repo' | 'settings' | 'clock' | 'db'> & { waLimits: WaLimitsStore; unanswered: UnansweredCounter },
    private readonly facts: CampaignFacts,
  ) {}

  clear(): void {
    this.dayCounts.clear();
    this.firstSends.clear();
    this.warmupSteps.clear();
  }

  /** Sends per number and local day: read from the outbox once (a restart does not reset it), then counted here. */
  private dayCounts = new Map<string, { start: number; count: number }>();

  sentOnDay(numberId: string, at: number, zone: string): number {
    const { start, end } = dayBounds(at, zone);
    const cached = this.dayCounts.get(numberId);
    if (cached?.start === start) return cached.count;
    const count = this.deps.repo.outbox.sentBetween(numberId, start, end);
    if (at <= this.deps.clock.now() + 86_400_000) this.dayCounts.set(numberId, { start, count });
    return count;
  }

  countSend(numberId: string, at: number): void {
    const cached = this.dayCounts.get(numberId);
    if (cached && at >= cached.start && at < cached.start + 90_000_000 && dayBounds(at, this.deps.settings.get().timeZone).start === cached.start) cached.count += 1;
    else this.dayCounts.delete(numberId);
  }

  /**
   * How an answer in a chat is paced (#33): at once, with no window (the person is waiting), held only by
   * WhatsApp's 100-a-minute ceiling and the day's cap, like every message of the number.
   */
  answerSettings(numberId: string): PacerSettings {
    const zone = this.deps.settings.get().timeZone;
    const preset = this.facts.isCloud(numberId) ? PRESETS.cloud : PRESETS.standard;
    return { pace: { ...preset, perMinute: this.facts.isCloud(numberId) ? preset.perMinute : HARD_PER_MINUTE }, window: null, timeZone: zone, startAt: null };
  }

  /**
   * The number's sending history, from the outbox (so a restart does not reset it). `warmAnswer`: an answer to
   * someone who wrote to the number, which the month's budget of unanswered messages does not hold.
   */
  history(lane: Lane, warmAnswer = false): History {
    const { numberId } = lane;
    const zone = this.deps.settings.get().timeZone;
    // The last minute's sends: read from the outbox when the lane starts, then kept by the lane (the only sender).
    const since = this.deps.clock.now() - RECENT_MS;
    lane.recent ??= this.deps.repo.outbox.recent(numberId, RECENT_MS);
    while ((lane.recent[0] ?? Number.POSITIVE_INFINITY) <= since) lane.recent.shift();
    return {
      recent: lane.recent,
      sentOnDay: (at) => this.sentOnDay(numberId, at, zone),
      warmupDay: (at) => this.warmupDay(numberId, at),
      // WhatsApp's monthly cap on unanswered messages is for phones; a Cloud number's limit is its tier instead.
      ...(warmAnswer || this.facts.isCloud(numberId) || this.deps.waLimits.get(numberId)?.cap
        ? {}
        : { unanswered: (at: number) => ({ count: this.deps.unanswered.count(numberId, at), budget: this.deps.unanswered.budget(numberId), monthEnd: this.deps.unanswered.monthEnd(at) }) }),
    };
  }

  /** Each number's first send ever: once there is one it never changes, so it is read from the outbox once. */
  private firstSends = new Map<string, number>();

  /** The step of a number's warm-up on the day of `at`: 0 on its first day of sending (or before it has one). */
  warmupDay(numberId: string, at: number): number {
    let first = this.firstSends.get(numberId);
    if (first === undefined) {
      const stored = this.deps.repo.outbox.firstSendAt(numberId);
      if (stored === null) return 0;
      first = stored;
      this.firstSends.set(numberId, first);
    }
    // Where the warm-up stands today follows the number's own history (see health/warmup.ts), read once a day;
    // days ahead are assumed good.
    const zone = this.deps.settings.get().timeZone;
    const today = dayBounds(this.deps.clock.now(), zone).start;
    let known = this.warmupSteps.get(numberId);
    if (known?.day !== today || known.zone !== zone) {
      known = { day: today, zone, step: warmupStep(this.deps.db, numberId, first, this.deps.clock.now(), zone) };
      this.warmupSteps.set(numberId, known);
    }
    return Math.max(0, known.step + daysBetween(today, at, zone));
  }

  private warmupSteps = new Map<string, { day: number; zone: string; step: number }>();
}
