import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Progress } from '../../shared/campaigns';
import { DriverError, type DriverEvents, type OutgoingMessage, type WhatsAppDriver } from '../whatsapp';
import { numberLost, whatsAppChanged } from './lost-numbers';
import { checkBrakes } from './brakes';
import { CampaignEvents, type EngineContext, type EngineDeps } from './engine-context';
import { Lane } from './lane';
import type { OutboxRow } from './outbox';
import { Receipts } from './receipts';
import { Recovery, RETRY_BACKOFF_MS } from './recovery';
import { UnansweredCounter } from '../health/unanswered';
import { WaLimitsStore } from '../whatsapp/wa-limits-store';
import { coldPaceFactor, heldBy } from '../../shared/wa-limits';
import { warmupStep } from '../health/warmup';
import { FollowUps } from './follow-ups';
import { AbTests } from './ab-tests';
import { Replies, type StoredReply } from './replies';
import { projectFinish } from './eta';
import { dailyCap, drawGap, HARD_PER_MINUTE, nextAllowed, PRESETS, type History, type PacerSettings } from './pacer';
import { pacerSettings } from './settings';
import { dayBounds, daysBetween } from '../../shared/time-zone';
import type { CloudTemplateChoice, WaTemplate } from '../../shared/cloud';
import { templateSend } from './template-send';
import { MarketingOptOuts } from './marketing-opt-outs';
import { callbackOf } from '../cloud/cloud-driver';

export { MAX_ATTEMPTS } from './recovery';
export { BRAKE } from './brakes';
export type { EngineDeps } from './engine-context';

const IDLE_MS = 60_000;
/** A limit WhatsApp gave no end for: its held sends look again after this long. */
const HOLD_RECHECK_MS = 3_600_000;
/** A refusal (ack −1) this long after a limit ended is still that limit's: it was on its way. */
const REFUSAL_GRACE_MS = 10 * 60_000;
/** How often a lane looks again while the disk is full. */
const STORAGE_WAIT_MS = 5_000;
/** How far back the pacer looks at a number's sends (its sliding minute, and a little more). */
const RECENT_MS = 66_000;
/** How soon a catch-up that could not read some chats is tried again. */
const CATCH_UP_AGAIN_MS = 60_000;
/** "Already messaged" means in the last 24 hours, in any campaign (judged at each send). */
const RECENT_RULE_MS = 24 * 3_600_000;
const PROGRESS_EVERY_MS = 300;
/**
 * A running campaign's brake looks at its health every this many sends (and at each opt-out and failure, which trip
 * their own windows at once): people blocking show over 30 sends and more, and reading the campaign's last 500 every
 * ten sends was a fifth of a send's cost (#34).
 */
const HEALTH_CHECK_EVERY = 25;
const LOST_STATES = new Set(['logged_out', 'banned', 'conflict']);

/**
 * The sending engine: one lane per connected number, each paced on its own. Before a number sends anything it
 * reconciles what a crash may have left `sending`; nothing is sent twice and nobody is lost. Receipts, replies,
 * recovery, brakes and lost numbers each live in their own module; this file runs the lanes.
 */
export class CampaignEngine {
  private lanes = new Map<string, Lane>();
  private running = new Set<Promise<void>>();
  private readonly ctx: EngineContext;
  private readonly receipts: Receipts;
  private readonly replies: Replies;
  private readonly recovery: Recovery;
  private readonly followUps: FollowUps;
  private readonly abTests: AbTests;
  /** Each number's messages this month to people who never answered, against its budget (WhatsApp's monthly cap). */
  readonly unanswered: UnansweredCounter;
  /** Who tapped "Stop promotions": no marketing campaign sends to them (#36). */
  readonly marketingOptOuts: MarketingOptOuts;
  /** What WhatsApp states of each number's limits on reaching new people (#32). */
  readonly waLimits: WaLimitsStore;
  private dirty = new Set<number>();
  private flushScheduled = false;
  private stopped = false;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly deps: EngineDeps) {
    this.unanswered = new UnansweredCounter(deps.db, () => deps.settings.get().timeZone);
    this.waLimits = deps.waLimits ?? new WaLimitsStore(deps.db, deps.clock, deps.logger, (numberId) => this.limitsChanged(numberId));
    this.marketingOptOuts = new MarketingOptOuts(deps.db, () => deps.clock.now());
    this.ctx = { ...deps, events: new CampaignEvents(deps.clock, (id) => this.markDirty(id)), unanswered: this.unanswered, marketingOptOuts: this.marketingOptOuts, markDirty: (id) => this.markDirty(id) };
    this.receipts = new Receipts(this.ctx);
    this.replies = new Replies(this.ctx);
    this.recovery = new Recovery(this.ctx, this.receipts, this.replies);
    this.abTests = new AbTests({
      db: deps.db,
      repo: deps.repo,
      logger: deps.logger,
      now: () => deps.clock.now(),
      changed: (id) => {
        this.markDirty(id);
        this.wakeAll();
      },
    });
    this.followUps = new FollowUps({
      repo: deps.repo,
      logger: deps.logger,
      changed: (id) => {
        this.markDirty(id);
        this.wakeAll();
      },
    });
  }

  start(): void {
    this.stopped = false;
    this.lanes.clear();
    this.dayCounts.clear();
    this.firstSends.clear();
    this.warmupSteps.clear();
    this.unanswered.forget();
    this.settingsCache.clear();
    this.templates.clear();
    this.cloudNumbers.clear();
    this.skipRecentCache.clear();
    this.firstCampaigns.clear();
    this.states.clear();
    const { sessions, bus, repo } = this.deps;
    repo.outbox.onReceipts = (written) => this.receipts.onWritten(written);
    repo.outbox.onWriteError = (error) => {
      if (!this.deps.storage.report(error)) this.deps.logger.error({ err: error }, 'receipts not written');
    };
    this.unsubscribe.push(
      sessions.onDriverEvent((numberId, event, payload) => {
        if (event === 'ack') this.onAck(numberId, payload as DriverEvents['ack']);
        if (event === 'incoming') {
          repo.outbox.warmChanged();
          this.replies.onIncoming(numberId, payload as DriverEvents['incoming']).catch((error: unknown) => this.deps.logger.error({ err: error, numberId }, 'reply not recorded'));
        }
        if (event === 'lid') {
          const { lid, phone } = payload as DriverEvents['lid'];
          this.replies.learnLid(numberId, lid, phone);
        }
        if (event === 'ready' || event === 'disconnected') {
          const lane = this.lanes.get(numberId);
          if (lane) lane.reconciled = false; // on every reconnection, reconcile before sending again
        }
        // After `ready`, and whenever WhatsApp Web says they changed: its limits are read again at once.
        if (event === 'ready' || event === 'limits') {
          const driver = this.deps.sessions.driver(numberId);
          if (driver) void this.waLimits.refresh(numberId, driver, 0);
        }
      }),
      bus.subscribe((envelope) => {
        if (envelope.event === 'numbers.removed') {
          // Unlinked by the user: for its campaigns the number is lost, exactly as if the phone had logged out.
          const { id } = envelope.payload;
          this.states.delete(id);
          const label = (this.deps.db.prepare('SELECT label FROM numbers WHERE id = ?').pluck().get(id) as string | undefined) ?? id;
          numberLost(this.ctx, id, label, 'logged_out');
          this.wakeAll();
          return;
        }
        if (envelope.event !== 'numbers.changed') return;
        const { id, state, label } = envelope.payload;
        this.states.set(id, state);
        if (state === 'connected') this.ensureLane(id).wake();
        else if (LOST_STATES.has(state)) numberLost(this.ctx, id, label, state);
        else if (state === 'wa_changed') whatsAppChanged(this.ctx, id, label, (other) => this.states.get(other) === 'connected');
      }),
      // Space is back: receipts held in memory are written, and each lane first reconciles what may be half-recorded.
      this.deps.storage.onRecovered(() => {
        repo.outbox.flushReceipts();
        this.wakeAll({ reconcile: true });
      }),
    );
    for (const number of sessions.list()) {
      this.states.set(number.id, number.state);
      if (number.state === 'connected') this.ensureLane(number.id);
    }
  }

  /** Told at once of every change of a campaign's sends or state (the automation API's statuses and webhooks). */
  onCampaignChanged: ((campaignId: number) => void) | null = null;

  /** Each number's state as its events told us, so the send loop does not ask the database every time. */
  private states = new Map<string, string>();

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.allSettled([...this.replies.saving, ...this.followUps.filling.values(), ...this.abTests.filling.values()]);
    this.deps.repo.outbox.flushReceipts();
    this.deps.repo.outbox.onReceipts = null;
    for (const lane of this.lanes.values()) lane.close();
    // A lane may be inside a send; its row is durable either way, so quitting never waits on it for long.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.running), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
  }

  /**
   * A campaign changed state (launched, resumed, paused, cancelled): every lane looks again. On resume, each lane
   * first reconciles whatever is still `sending`.
   */
  wakeAll(opts: { reconcile?: boolean } = {}): void {
    for (const number of this.deps.sessions.list()) if (number.state === 'connected') this.ensureLane(number.id);
    this.nextPromoteCheck = 0;
    for (const lane of this.lanes.values()) {
      if (opts.reconcile) lane.reconciled = false;
      lane.wake();
    }
  }

  /**
   * Progress goes out at most every 300 ms, in clock time and in real time alike: a day replayed in virtual time
   * does not flood the UI (or the CPU) with a progress per send.
   */
  markDirty(campaignId: number): void {
    this.onCampaignChanged?.(campaignId);
    this.dirty.add(campaignId);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    void this.deps.clock.sleep(PROGRESS_EVERY_MS).then(() => {
      const wait = this.lastFlush + PROGRESS_EVERY_MS - Date.now();
      if (wait > 0) {
        setTimeout(() => this.flush(), wait);
        return;
      }
      this.flush();
    });
  }

  private lastFlush = 0;

  private flush(): void {
    this.flushScheduled = false;
    this.lastFlush = Date.now();
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      if (this.stopped) continue;
      // A timer's throw would end the process: one campaign that cannot be shown is logged, not fatal.
      try {
        this.deps.bus.emit('campaigns.progress', this.progress(id));
      } catch (error) {
        this.deps.logger.error({ err: error, campaignId: id }, 'progress failed');
      }
    }
  }

  private ensureLane(numberId: string): Lane {
    let lane = this.lanes.get(numberId);
    if (!lane) {
      lane = new Lane(numberId, this.deps.clock);
      this.lanes.set(numberId, lane);
      const loop = this.runLane(lane).catch((error: unknown) => {
        if (!this.stopped) this.deps.logger.error({ err: error, numberId }, 'lane stopped');
      });
      this.running.add(loop);
      void loop.finally(() => {
        this.running.delete(loop);
        if (this.lanes.get(numberId) === lane) this.lanes.delete(numberId);
      });
    }
    return lane;
  }

  private numberState(numberId: string): string | undefined {
    return this.states.get(numberId);
  }

  /**
   * A lane's loop never dies of one bad turn: a full disk makes it wait (and reconcile once space is back), any
   * other error is logged and the turn is tried again a little later.
   */
  private async runLane(lane: Lane): Promise<void> {
    let failures = 0;
    let spinning = 0;
    while (!this.stopped) {
      // Turns that never sleep (a state the lane has not heard of yet) must not starve the event loop.
      spinning = lane.takeSlept() ? 0 : spinning + 1;
      if (spinning >= 64) {
        spinning = 0;
        await yieldToLoop();
      }
      if (this.deps.storage.isFull()) {
        lane.reconciled = false;
        await lane.idle(STORAGE_WAIT_MS);
        continue;
      }
      try {
        await this.laneTurn(lane);
        failures = 0;
      } catch (error) {
        // After stop() the database may be closed under a turn that was still waiting on the driver.
        if (this.stopped) return;
        lane.reconciled = false;
        if (!this.deps.storage.report(error)) {
          failures += 1;
          this.deps.logger.error({ err: error, numberId: lane.numberId, failures }, 'lane turn failed');
        }
        await lane.idle(Math.min(IDLE_MS, STORAGE_WAIT_MS * 2 ** Math.min(failures, 4)));
      }
      if (lane.ended) return;
    }
  }

  /**
   * What WhatsApp's limits hold of a campaign: when every number it still has is limited, its queued messages to
   * people who never wrote to them wait for the first limit to end (a number without a limit would send them).
   */
  private heldOf(campaignId: number): Progress['held'] {
    const numbers = this.deps.repo.numbersOf(campaignId).filter((n) => !n.lost).map((n) => n.id);
    const now = this.deps.clock.now();
    const holds = numbers.map((id) => heldBy(this.waLimits.get(id), now));
    if (numbers.length === 0 || holds.some((h) => h === null)) return [];
    const count = this.deps.repo.outbox.queuedCold(campaignId, numbers);
    if (count === 0) return [];
    const first = holds.reduce((a, b) => ((b!.until ?? Infinity) < (a!.until ?? Infinity) ? b : a))!;
    return [{ reason: first.reason, count, until: first.until ?? now + HOLD_RECHECK_MS }];
  }

  /** The running campaigns a number sends for. */
  private campaignsOn(numberId: string): number[] {
    return this.deps.db.prepare("SELECT c.id FROM campaigns c JOIN campaign_numbers cn ON cn.campaign_id = c.id WHERE cn.number_id = ? AND c.state = 'running'").pluck().all(numberId) as number[];
  }

  /** WhatsApp's limits of a number changed: its lane looks again at once. */
  limitsChanged(numberId: string): void {
    this.lanes.get(numberId)?.wake();
    for (const id of this.campaignsOn(numberId)) this.markDirty(id);
  }

  /**
   * A message WhatsApp refused (ack −1) while it limits reaching new people is that limit — "WhatsApp no lo
   * entregó: límite de contactos nuevos" — not a failure, and no brake counts it (#32). WhatsApp is asked at once.
   */
  private onAck(numberId: string, ack: DriverEvents['ack']): void {
    const driver = ack.ack === 'error' && !ack.reason ? this.deps.sessions.driver(numberId) : undefined;
    if (!driver?.limits) return this.receipts.onAck(ack);
    void this.waLimits.refresh(numberId, driver, 0).then((limits) => {
      if (this.stopped) return;
      const hold = heldBy(limits, this.deps.clock.now(), REFUSAL_GRACE_MS);
      this.receipts.onAck(hold ? { messageId: ack.messageId, ack: ack.ack, at: ack.at, reason: 'wa_limit' } : ack);
      if (hold) this.lanes.get(numberId)?.wake();
    });
  }

  /** One turn of a lane: reconcile if needed, then wait for the pacer or send the next message. */
  private async laneTurn(lane: Lane): Promise<void> {
    const { repo, clock } = this.deps;
    const driver = this.deps.sessions.driver(lane.numberId);
    if (!driver || this.numberState(lane.numberId) !== 'connected') {
      if (!driver) {
        lane.ended = true; // unlinked: the lane ends; a new one starts when it connects again
        return;
      }
      lane.reconciled = false;
      await lane.idle(IDLE_MS);
      return;
    }
    if (!lane.reconciled || (lane.unreadChats.size > 0 && this.deps.clock.now() >= lane.catchUpAgainAt)) {
      lane.unreadChats = new Set(await this.recovery.reconcile(lane.numberId, driver));
      lane.catchUpAgainAt = this.deps.clock.now() + CATCH_UP_AGAIN_MS;
      lane.reconciled = true;
    }
    this.promoteScheduled();
    // What WhatsApp states of its limits, before the turn (asked again when a minute old). While one holds, only
    // people who wrote to the number are written to; the others wait for its end (#32).
    const hold = heldBy(await this.waLimits.refresh(lane.numberId, driver), clock.now());
    if (Boolean(hold) !== Boolean(lane.held)) for (const id of this.campaignsOn(lane.numberId)) this.markDirty(id);
    lane.held = hold;
    const row = repo.outbox.next(lane.numberId, { warmOnly: hold !== null });
    if (!row) {
      lane.waiting = null;
      this.completeFinished();
      const retry = repo.outbox.nextRetryAt(lane.numberId);
      const until = Math.min(retry ?? Number.POSITIVE_INFINITY, hold?.until ?? Number.POSITIVE_INFINITY);
      await lane.idle(Number.isFinite(until) ? Math.max(0, Math.min(IDLE_MS, until - clock.now())) : IDLE_MS);
      return;
    }
    const settings = row.chat ? this.answerSettings(lane.numberId) : this.pacerSettingsOf(row.campaign_id);
    // An answer in a chat is not spaced like a campaign: only the number's minute's and day's ceilings hold it.
    const decision = nextAllowed({ now: clock.now(), earliest: row.chat ? 0 : lane.earliest, history: this.history(lane, row.chat === true && this.unanswered.hasWritten(lane.numberId, row.phone)), settings });
    if (decision.at > clock.now()) {
      const changed = lane.waiting?.until !== decision.at;
      lane.waiting = { campaignId: row.campaign_id, until: decision.at, why: decision.why };
      if (changed && decision.why !== 'spacing') this.markDirty(row.campaign_id);
      await lane.idle(Math.min(IDLE_MS, decision.at - clock.now()));
      return;
    }
    lane.waiting = null;
    await this.dispatch(lane, driver, row, settings);
    // The spacing drawn for the next send is known now: sleeping it here saves a second look at the queue per send.
    if (lane.earliest > clock.now()) await lane.idle(Math.min(IDLE_MS, lane.earliest - clock.now()));
  }

  /** Sends per number and local day: read from the outbox once (a restart does not reset it), then counted here. */
  private dayCounts = new Map<string, { start: number; count: number }>();

  private sentOnDay(numberId: string, at: number, zone: string): number {
    const { start, end } = dayBounds(at, zone);
    const cached = this.dayCounts.get(numberId);
    if (cached?.start === start) return cached.count;
    const count = this.deps.repo.outbox.sentBetween(numberId, start, end);
    if (at <= this.deps.clock.now() + 86_400_000) this.dayCounts.set(numberId, { start, count });
    return count;
  }

  private countSend(numberId: string, at: number): void {
    const cached = this.dayCounts.get(numberId);
    if (cached && at >= cached.start && at < cached.start + 90_000_000 && dayBounds(at, this.deps.settings.get().timeZone).start === cached.start) cached.count += 1;
    else this.dayCounts.delete(numberId);
  }

  /**
   * How an answer in a chat is paced (#33): at once, with no window (the person is waiting), held only by
   * WhatsApp's 100-a-minute ceiling and the day's cap, like every message of the number.
   */
  private answerSettings(numberId: string): PacerSettings {
    const zone = this.deps.settings.get().timeZone;
    const preset = this.isCloud(numberId) ? PRESETS.cloud : PRESETS.standard;
    return { pace: { ...preset, perMinute: this.isCloud(numberId) ? preset.perMinute : HARD_PER_MINUTE }, window: null, timeZone: zone, startAt: null };
  }

  /**
   * The number's sending history, from the outbox (so a restart does not reset it). `warmAnswer`: an answer to
   * someone who wrote to the number, which the month's budget of unanswered messages does not hold.
   */
  private history(lane: Lane, warmAnswer = false): History {
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
      ...(warmAnswer || this.isCloud(numberId) || this.waLimits.get(numberId)?.cap
        ? {}
        : { unanswered: (at: number) => ({ count: this.unanswered.count(numberId, at), budget: this.unanswered.budget(numberId), monthEnd: this.unanswered.monthEnd(at) }) }),
    };
  }

  /** Whether a number is on the Cloud API: it never changes kind, so it is asked once. */
  private cloudNumbers = new Map<string, boolean>();

  private isCloud(numberId: string): boolean {
    let cloud = this.cloudNumbers.get(numberId);
    if (cloud === undefined) {
      cloud = this.deps.cloud?.get(numberId) !== undefined;
      this.cloudNumbers.set(numberId, cloud);
    }
    return cloud;
  }

  private skipRecentCache = new Map<number, boolean>();
  private sendsSinceCheck = new Map<number, number>();

  private skipsRecent(campaignId: number): boolean {
    let skips = this.skipRecentCache.get(campaignId);
    if (skips === undefined) {
      skips = this.deps.repo.settings(campaignId).skipRecent ?? true;
      this.skipRecentCache.set(campaignId, skips);
    }
    return skips;
  }

  private firstCampaigns = new Map<number, number>();

  /** A follow-up's first campaign (0 for any other campaign): its message is not "recent" to the follow-up. */
  private firstCampaignOf(campaignId: number): number {
    let first = this.firstCampaigns.get(campaignId);
    if (first === undefined) {
      first = this.deps.repo.settings(campaignId).followUpOf?.campaignId ?? 0;
      this.firstCampaigns.set(campaignId, first);
    }
    return first;
  }

  /** A campaign's settings are fixed when it is created: parsed once, not before every send. */
  private settingsCache = new Map<number, PacerSettings>();

  private pacerSettingsOf(campaignId: number): PacerSettings {
    let settings = this.settingsCache.get(campaignId);
    if (!settings) {
      const stored = this.deps.repo.settings(campaignId);
      const tier = stored.pace.preset === 'cloud' ? (this.deps.cloud?.dailyLimitOf(this.deps.repo.numbersOf(campaignId).map((n) => n.id)) ?? null) : null;
      settings = pacerSettings(stored, tier);
      this.settingsCache.set(campaignId, settings);
    }
    return settings;
  }

  /** Each number's first send ever: once there is one it never changes, so it is read from the outbox once. */
  private firstSends = new Map<string, number>();

  /** The step of a number's warm-up on the day of `at`: 0 on its first day of sending (or before it has one). */
  private warmupDay(numberId: string, at: number): number {
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

  private async dispatch(lane: Lane, driver: WhatsAppDriver, row: OutboxRow, settings: PacerSettings): Promise<void> {
    const { repo, contacts, clock } = this.deps;
    const { outbox } = repo;
    // Opt-outs are checked now, not only when the campaign was made.
    if (contacts.isOptedOut(row.phone) || (this.marketingOptOuts.isMarketing(row.campaign_id) && this.marketingOptOuts.has(row.phone))) {
      outbox.finish(row.id, 'skipped', 'opted_out');
      return this.ctx.events.note(row, 'skipped', 'opted_out');
    }
    // "Messaged in the last 24 h" is judged now, at the send, not only at the launch: another campaign may have
    // written to this contact since (the campaign's own setting can turn the rule off, with a warning at launch).
    if (this.skipsRecent(row.campaign_id) && outbox.messagedSince(row.phone, row.id, clock.now() - RECENT_RULE_MS, this.firstCampaignOf(row.campaign_id))) {
      outbox.finish(row.id, 'skipped', 'recent_24h');
      return this.ctx.events.note(row, 'skipped', 'recent_24h');
    }
    let chatId: string | null;
    try {
      chatId = row.chat_id ?? (await driver.resolve(row.phone));
    } catch (error) {
      if (!(error instanceof DriverError && error.code === 'not_connected')) outbox.postpone(row.id, clock.now() + RETRY_BACKOFF_MS[0]!);
      // The driver already knows it is not connected; its state event may not have reached the lane yet.
      else await lane.idle(1000);
      return;
    }
    if (!chatId) {
      // Recorded against the number that looked: its health counts lists full of phones not on WhatsApp.
      outbox.finish(row.id, 'skipped', 'not_on_whatsapp', lane.numberId);
      contacts.setWaStatus(row.contact_id, 'not_on_whatsapp');
      return this.ctx.events.note(row, 'skipped', 'not_on_whatsapp');
    }
    // A chat the catch-up could not read may hold an opt-out: it waits for the next catch-up that reads it.
    if (lane.unreadChats.has(chatId) || lane.unreadChats.has(row.phone)) {
      outbox.postpone(row.id, lane.catchUpAgainAt);
      return;
    }
    // Near WhatsApp's cap (its warning levels) messages to people who never wrote go slower (#32).
    const limits = this.waLimits.get(lane.numberId);
    const cold = limits?.cap != null && !this.unanswered.hasWritten(lane.numberId, row.phone);
    if (row.reason === 'restored') {
      const verdict = await this.recovery.askRestored(lane.numberId, driver, row, chatId);
      if (verdict === 'later') await lane.idle(1000);
      if (verdict !== 'send') return;
    }
    const sendingAt = clock.now();
    if (!outbox.markSending(row.id, lane.numberId, chatId)) return;
    this.countSend(lane.numberId, sendingAt);
    this.unanswered.onSend(lane.numberId, row.phone, sendingAt);
    lane.recent?.push(sendingAt);
    // An answer leaves the campaign's spacing and batch as they were: the next campaign message keeps its own gap.
    if (!row.chat) {
      // A fresh lane starts a batch; otherwise its first gap would be an end-of-batch pause.
      if (lane.batchLeft <= 0) lane.batchLeft = this.deps.random.int(...settings.pace.batch);
      const gap = drawGap(settings.pace, lane.batchLeft, this.deps.random);
      lane.batchLeft = gap.batchLeft;
      // Near the cap (WhatsApp's warning levels) messages to new people go slower.
      lane.earliest = sendingAt + gap.gapMs * (cold ? coldPaceFactor(limits, sendingAt) : 1);
    }
    let sent: { messageId: string; at: number; chatId?: string };
    try {
      sent = await driver.send(chatId, this.content(row));
    } catch (error) {
      await this.recovery.afterFailure(lane.numberId, driver, { ...row, chat_id: chatId, sending_at: sendingAt, attempts: row.attempts + 1 }, error);
      checkBrakes(this.ctx, row.campaign_id); // failures can trip the brake; opt-outs check it when they arrive
      return;
    }
    // A throw here (disk full) leaves the row `sending`: it is reconciled with findSent, never sent again blindly.
    outbox.markSent(row.id, sent.messageId, sent.at, sent.chatId ?? null);
    // WhatsApp's limit showed while this message to someone new was on its way (#32): it is the limit's.
    if (heldBy(this.waLimits.get(lane.numberId), clock.now()) && !this.unanswered.hasWritten(lane.numberId, row.phone)) outbox.markLimitUndelivered(row.id);
    this.receipts.applyEarly(sent.messageId);
    this.ctx.events.note(row, 'sent', null);
    // People blocking a campaign show only as receipts that never come: its health is looked at as it goes.
    const sentSoFar = (this.sendsSinceCheck.get(row.campaign_id) ?? 0) + 1;
    this.sendsSinceCheck.set(row.campaign_id, sentSoFar % HEALTH_CHECK_EVERY);
    if (sentSoFar >= HEALTH_CHECK_EVERY) checkBrakes(this.ctx, row.campaign_id);
  }

  private content(row: OutboxRow): OutgoingMessage {
    const template = row.params ? this.templateOf(row) : undefined;
    const base = template ? { text: row.text, template } : { text: row.text };
    if (!row.media_id) return base;
    const file = this.deps.media.file(row.media_id);
    const stored = this.deps.media.get(row.media_id);
    return file ? { ...base, media: { path: file.path, mimeType: file.mime, fileName: stored.fileName, kind: stored.kind } } : base;
  }

  /** A Cloud send's template: the campaign's approved one (read once per campaign), with this contact's values. */
  private templates = new Map<number, { template: WaTemplate; choice: CloudTemplateChoice } | undefined>();

  private templateOf(row: OutboxRow): OutgoingMessage['template'] {
    if (!this.templates.has(row.campaign_id)) {
      const choice = this.deps.repo.settings(row.campaign_id).cloud;
      const template = choice ? this.deps.cloud?.template(choice.templateId) : undefined;
      this.templates.set(row.campaign_id, template && choice ? { template, choice } : undefined);
    }
    const known = this.templates.get(row.campaign_id);
    if (!known) return undefined;
    return templateSend(known.template, known.choice, JSON.parse(row.params ?? '[]') as string[], callbackOf(row.id), (id) => this.mediaFile(id));
  }

  private mediaFile(mediaId: string): NonNullable<OutgoingMessage['media']> | null {
    const file = this.deps.media.file(mediaId);
    if (!file) return null;
    const stored = this.deps.media.get(mediaId);
    return { path: file.path, mimeType: file.mime, fileName: stored.fileName, kind: stored.kind };
  }

  /** Scheduled starts are looked for at most once a second of clock time, not before every send. */
  private nextPromoteCheck = 0;

  private promoteScheduled(): void {
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
        this.markDirty(id);
      }
    }
    this.abTests.due();
    for (const tick of this.ticks) tick();
  }

  private completeFinished(): void {
    const { repo } = this.deps;
    for (const id of repo.ids(['running'])) {
      // An A/B test's rest of the audience is still to come: its test share being done is not its end.
      if (repo.remaining(id) === 0 && !this.abTests.waiting(id)) {
        repo.transition(id, 'completed');
        this.markDirty(id);
      }
    }
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
    const settings = this.pacerSettingsOf(row.campaign_id);
    const ahead = db
      .prepare("SELECT COUNT(*) FROM sends s JOIN campaigns c ON c.id = s.campaign_id AND c.kind = 'api' AND c.state = 'running' WHERE s.state = 'queued' AND s.id < ?")
      .pluck()
      .get(sendId) as number;
    const meanGap = (settings.pace.gapMs[0] + settings.pace.gapMs[1]) / 2;
    let best: number | null = null;
    for (const numberId of candidates) {
      const lane = this.lanes.get(numberId);
      if (!lane || this.numberState(numberId) !== 'connected') continue;
      const first = nextAllowed({ now: clock.now(), earliest: lane.earliest, history: this.history(lane), settings }).at;
      const at = Math.round(first + (ahead / candidates.length) * meanGap);
      if (Number.isFinite(at) && (best === null || at < best)) best = at;
    }
    return best;
  }

  /** The user changed a number's budget of unanswered messages: counted again, and its lane looks at once. */
  budgetChanged(numberId: string): void {
    this.unanswered.forget(numberId);
    this.lanes.get(numberId)?.wake();
  }

  /** Listens to every reply once it is stored (the conversations' auto-replies). */
  onReply(listener: (reply: StoredReply) => void): void {
    this.replies.listeners.push(listener);
  }

  private readonly ticks: (() => void)[] = [];

  /** Called at most once a second of the app's clock while numbers send (the recurring campaigns look then). */
  onTick(listener: () => void): void {
    this.ticks.push(listener);
  }

  /** Listens to the messages first read, a burst at a time (the automatic tags). */
  onReads(listener: (reads: { campaignId: number; contactId: number }[]) => void): void {
    this.receipts.readListeners.push(listener);
  }

  /** The user's verdict on a reply the opt-out matcher found doubtful (see Replies.decide). */
  decideReply(incomingId: number, optOut: boolean): void {
    this.replies.decide(incomingId, optOut);
  }

  /** Today's cap of one of the campaign's numbers: its pace's, or the warm-up's for a new number. */
  dailyCapOf(campaignId: number, numberId: string): number {
    return dailyCap(this.pacerSettingsOf(campaignId).pace, () => this.warmupDay(numberId, this.deps.clock.now()));
  }

  /** What the live view shows: counts, pace, each number against its daily cap, the wait, the last events. */
  progress(campaignId: number): Progress {
    const { repo, clock, db, settings } = this.deps;
    const row = repo.row(campaignId);
    const counts = repo.outbox.counts(campaignId);
    const pacer = this.pacerSettingsOf(campaignId);
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
      projectFinish({ now: clock.now(), count: share, settings: pacer, sentToday: n.sentToday, warmupDay: (at) => this.warmupDay(n.numberId, at) }),
    );
    const eta = remaining > 0 && active.length > 0 && row.state === 'running' && finishes.every((f) => f !== null) ? Math.max(...(finishes as number[])) : null;
    // Sends WhatsApp's limits hold finish no earlier than the limit's end.
    const held = this.heldOf(campaignId);
    const waiting = [...this.lanes.values()].map((l) => l.waiting).find((w) => w?.campaignId === campaignId && w.why !== 'spacing') ?? null;
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
      events: this.ctx.events.of(campaignId),
    };
  }
}
