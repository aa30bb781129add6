import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Progress } from '../../shared/campaigns';
import { DriverError, type WhatsAppDriver } from '../whatsapp';
import { checkBrakes } from './brakes';
import { CampaignEvents, type EngineContext, type EngineDeps } from './engine-context';
import { Lane } from './lane';
import type { OutboxRow } from './outbox';
import { Receipts } from './receipts';
import { Recovery, RETRY_BACKOFF_MS } from './recovery';
import { UnansweredCounter } from '../health/unanswered';
import { WaLimitsStore } from '../whatsapp/wa-limits-store';
import { coldPaceFactor, heldBy } from '../../shared/wa-limits';
import { CampaignLifecycle } from './campaign-lifecycle';
import { engineListeners } from './engine-listeners';
import { ProgressPush } from './progress-push';
import { Replies, type StoredReply } from './replies';
import { drawGap, nextAllowed, type PacerSettings } from './pacer';
import { MarketingOptOuts } from './marketing-opt-outs';
import { CampaignFacts } from './campaign-facts';
import { NumberHistory } from './number-history';
import { EngineViews } from './engine-views';

export { MAX_ATTEMPTS } from './recovery';
export { BRAKE } from './brakes';
export type { EngineDeps } from './engine-context';

const IDLE_MS = 60_000;
/** How often a lane looks again while the disk is full. */
const STORAGE_WAIT_MS = 5_000;
/** How soon a catch-up that could not read some chats is tried again. */
const CATCH_UP_AGAIN_MS = 60_000;
/** "Already messaged" means in the last 24 hours, in any campaign (judged at each send). */
const RECENT_RULE_MS = 24 * 3_600_000;
/**
 * A running campaign's brake looks at its health every this many sends (and at each opt-out and failure, which trip
 * their own windows at once): people blocking show over 30 sends and more, and reading the campaign's last 500 every
 * ten sends was a fifth of a send's cost (#34).
 */
const HEALTH_CHECK_EVERY = 25;

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
  private readonly lifecycle: CampaignLifecycle;
  private readonly facts: CampaignFacts;
  private readonly numberHistory: NumberHistory;
  private readonly views: EngineViews;
  /** Sends since each campaign's health was last looked at. */
  private sendsSinceCheck = new Map<number, number>();
  /** Each number's messages this month to people who never answered, against its budget (WhatsApp's monthly cap). */
  readonly unanswered: UnansweredCounter;
  /** Who tapped "Stop promotions": no marketing campaign sends to them (#36). */
  readonly marketingOptOuts: MarketingOptOuts;
  /** What WhatsApp states of each number's limits on reaching new people (#32). */
  readonly waLimits: WaLimitsStore;
  private readonly progressPush: ProgressPush;
  private stopped = false;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly deps: EngineDeps) {
    this.unanswered = new UnansweredCounter(deps.db, () => deps.settings.get().timeZone);
    this.waLimits = deps.waLimits ?? new WaLimitsStore(deps.db, deps.clock, deps.logger, (numberId) => this.limitsChanged(numberId));
    this.marketingOptOuts = new MarketingOptOuts(deps.db, () => deps.clock.now());
    this.facts = new CampaignFacts(deps);
    this.numberHistory = new NumberHistory({ ...deps, waLimits: this.waLimits, unanswered: this.unanswered }, this.facts);
    this.ctx = { ...deps, events: new CampaignEvents(deps.clock, (id) => this.markDirty(id)), unanswered: this.unanswered, marketingOptOuts: this.marketingOptOuts, markDirty: (id) => this.markDirty(id) };
    this.receipts = new Receipts(this.ctx);
    this.progressPush = new ProgressPush(deps, (id) => (this.stopped ? null : this.progress(id)));
    this.views = new EngineViews(deps, this.facts, this.numberHistory, this.waLimits, this.ctx.events, () => this.lanes, (id) => this.numberState(id));
    this.replies = new Replies(this.ctx);
    this.recovery = new Recovery(this.ctx, this.receipts, this.replies);
    this.lifecycle = new CampaignLifecycle(deps, (id) => {
      this.markDirty(id);
      this.wakeAll();
    });
  }

  start(): void {
    this.stopped = false;
    this.lanes.clear();
    this.numberHistory.clear();
    this.unanswered.forget();
    this.facts.clear();
    this.states.clear();
    const { sessions, repo } = this.deps;
    repo.outbox.onReceipts = (written) => this.receipts.onWritten(written);
    repo.outbox.onWriteError = (error) => {
      if (!this.deps.storage.report(error)) this.deps.logger.error({ err: error }, 'receipts not written');
    };
    this.unsubscribe.push(
      ...engineListeners({
        deps: this.deps,
        ctx: this.ctx,
        replies: this.replies,
        receipts: this.receipts,
        waLimits: this.waLimits,
        states: this.states,
        stopped: () => this.stopped,
        laneOf: (id) => this.lanes.get(id),
        ensureLane: (id) => this.ensureLane(id),
        wakeAll: (opts) => this.wakeAll(opts),
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
    await Promise.allSettled([...this.replies.saving, ...this.lifecycle.filling()]);
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
    this.lifecycle.lookNow();
    for (const lane of this.lanes.values()) {
      if (opts.reconcile) lane.reconciled = false;
      lane.wake();
    }
  }

  /** Progress goes out at most every 300 ms (see ProgressPush); the automation API hears of each change at once. */
  markDirty(campaignId: number): void {
    this.onCampaignChanged?.(campaignId);
    this.progressPush.changed(campaignId);
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

  /** The running campaigns a number sends for. */
  private campaignsOn(numberId: string): number[] {
    return this.deps.db.prepare("SELECT c.id FROM campaigns c JOIN campaign_numbers cn ON cn.campaign_id = c.id WHERE cn.number_id = ? AND c.state = 'running'").pluck().all(numberId) as number[];
  }

  /** WhatsApp's limits of a number changed: its lane looks again at once. */
  limitsChanged(numberId: string): void {
    this.lanes.get(numberId)?.wake();
    for (const id of this.campaignsOn(numberId)) this.markDirty(id);
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
    this.lifecycle.promoteScheduled((id) => this.markDirty(id));
    // What WhatsApp states of its limits, before the turn (asked again when a minute old). While one holds, only
    // people who wrote to the number are written to; the others wait for its end (#32).
    const hold = heldBy(await this.waLimits.refresh(lane.numberId, driver), clock.now());
    if (Boolean(hold) !== Boolean(lane.held)) for (const id of this.campaignsOn(lane.numberId)) this.markDirty(id);
    lane.held = hold;
    const row = repo.outbox.next(lane.numberId, { warmOnly: hold !== null });
    if (!row) {
      lane.waiting = null;
      this.lifecycle.completeFinished((id) => this.markDirty(id));
      const retry = repo.outbox.nextRetryAt(lane.numberId);
      const until = Math.min(retry ?? Number.POSITIVE_INFINITY, hold?.until ?? Number.POSITIVE_INFINITY);
      await lane.idle(Number.isFinite(until) ? Math.max(0, Math.min(IDLE_MS, until - clock.now())) : IDLE_MS);
      return;
    }
    const settings = row.chat ? this.numberHistory.answerSettings(lane.numberId) : this.facts.pacerSettingsOf(row.campaign_id);
    // An answer in a chat is not spaced like a campaign: only the number's minute's and day's ceilings hold it.
    const decision = nextAllowed({ now: clock.now(), earliest: row.chat ? 0 : lane.earliest, history: this.numberHistory.history(lane, row.chat === true && this.unanswered.hasWritten(lane.numberId, row.phone)), settings });
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
    if (this.facts.skipsRecent(row.campaign_id) && outbox.messagedSince(row.phone, row.id, clock.now() - RECENT_RULE_MS, this.facts.firstCampaignOf(row.campaign_id))) {
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
    this.numberHistory.countSend(lane.numberId, sendingAt);
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
      sent = await driver.send(chatId, this.facts.content(row));
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

  /** The user changed a number's budget of unanswered messages: counted again, and its lane looks at once. */
  budgetChanged(numberId: string): void {
    this.unanswered.forget(numberId);
    this.lanes.get(numberId)?.wake();
  }

  /** Listens to every reply once it is stored (the conversations' auto-replies). */
  onReply(listener: (reply: StoredReply) => void): void {
    this.replies.listeners.push(listener);
  }

  /** Called at most once a second of the app's clock while numbers send (the recurring campaigns look then). */
  onTick(listener: () => void): void {
    this.lifecycle.ticks.push(listener);
  }

  /** Listens to the messages first read, a burst at a time (the automatic tags). */
  onReads(listener: (reads: { campaignId: number; contactId: number }[]) => void): void {
    this.receipts.readListeners.push(listener);
  }

  /** The user's verdict on a reply the opt-out matcher found doubtful (see Replies.decide). */
  decideReply(incomingId: number, optOut: boolean): void {
    this.replies.decide(incomingId, optOut);
  }

  /** What the live view shows: counts, pace, each number against its daily cap, the wait, the last events. */
  progress(campaignId: number): Progress {
    return this.views.progress(campaignId);
  }

  /** When a queued message from the user's systems is expected to go (null when none of its numbers is connected). */
  expectedAt(sendId: number): number | null {
    return this.views.expectedAt(sendId);
  }

  /** Today's cap of one of the campaign's numbers: its pace's, or the warm-up's for a new number. */
  dailyCapOf(campaignId: number, numberId: string): number {
    return this.views.dailyCapOf(campaignId, numberId);
  }
}
