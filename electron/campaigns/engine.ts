import type { CampaignEventSchema, Progress } from '../../shared/campaigns';
import type { z } from 'zod';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Random } from '../core/random';
import type { Db } from '../db';
import type { StorageGuard } from '../core/storage-guard';
import type { ContactsRepo } from '../contacts';
import type { MediaStore } from '../messages';
import type { SettingsStore } from '../settings';
import { DriverError, type AckState, type OutgoingMessage, type SessionManager, type WhatsAppDriver } from '../whatsapp';
import type { CampaignsRepo } from './campaigns-repo';
import { Lane } from './lane';
import { isOptOut, phoneFromChatId } from './opt-out';
import { RANK, type OutboxRow, type Receipt, type WrittenReceipt } from './outbox';
import { projectFinish } from './eta';
import { catchUp } from './catch-up';
import { dailyCap, drawGap, nextAllowed, type History, type PacerSettings } from './pacer';
import { pacerSettings } from './settings';
import { dayBounds, daysBetween } from '../../shared/time-zone';

type CampaignEvent = z.infer<typeof CampaignEventSchema>;

export const MAX_ATTEMPTS = 3;
const RETRY_BACKOFF_MS = [30_000, 120_000, 600_000];
const IDLE_MS = 60_000;
/** How often a lane looks again while the disk is full. */
const STORAGE_WAIT_MS = 5_000;
/** How far back the pacer looks at a number's sends (its sliding minute, and a little more). */
const RECENT_MS = 61_000;
const PROGRESS_EVERY_MS = 300;
const LAST_EVENTS = 20;
/** The brake: opt-outs among the last sends (5 to 10 spam reports are known to get a number blocked), and failures. */
export const BRAKE = { optOuts: 5, optOutWindow: 200, failures: 10, failureWindow: 50 };
const LOST_STATES = new Set(['logged_out', 'banned', 'conflict']);

export type EngineDeps = {
  db: Db;
  bus: EventBus;
  sessions: SessionManager;
  repo: CampaignsRepo;
  contacts: ContactsRepo;
  media: MediaStore;
  settings: SettingsStore;
  clock: Clock;
  random: Random;
  logger: Logger;
  storage: StorageGuard;
};

/**
 * The sending engine: one lane per connected number, each paced on its own. Before a number sends anything it
 * reconciles what a crash may have left `sending`; nothing is sent twice and nobody is lost.
 */
export class CampaignEngine {
  private lanes = new Map<string, Lane>();
  private running = new Set<Promise<void>>();
  private early = new Map<string, Receipt['state']>();
  private events = new Map<number, CampaignEvent[]>();
  private dirty = new Set<number>();
  private flushScheduled = false;
  private stopped = false;
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly deps: EngineDeps) {}

  start(): void {
    this.stopped = false;
    this.lanes.clear();
    this.dayCounts.clear();
    this.firstSends.clear();
    this.settingsCache.clear();
    this.states.clear();
    const { sessions, bus, repo } = this.deps;
    repo.outbox.onReceipts = (written) => this.onReceipts(written);
    repo.outbox.onWriteError = (error) => {
      if (!this.deps.storage.report(error)) this.deps.logger.error({ err: error }, 'receipts not written');
    };
    this.unsubscribe.push(
      sessions.onDriverEvent((numberId, event, payload) => {
        if (event === 'ack') this.onAck(payload as { messageId: string; ack: AckState; at: number });
        if (event === 'incoming') {
          this.onIncoming(numberId, payload as { messageId: string; chatId: string; body: string; type: string; at: number }).catch((error: unknown) =>
            this.deps.logger.error({ err: error, numberId }, 'reply not recorded'),
          );
        }
        if (event === 'ready' || event === 'disconnected') {
          const lane = this.lanes.get(numberId);
          if (lane) lane.reconciled = false; // on every reconnection, reconcile before sending again
        }
      }),
      bus.subscribe((envelope) => {
        if (envelope.event === 'numbers.removed') {
          // Unlinked by the user: for its campaigns the number is lost, exactly as if the phone had logged out.
          const { id } = envelope.payload;
          this.states.delete(id);
          const label = (this.deps.db.prepare('SELECT label FROM numbers WHERE id = ?').pluck().get(id) as string | undefined) ?? id;
          this.numberLost(id, label, 'logged_out');
          this.wakeAll();
          return;
        }
        if (envelope.event !== 'numbers.changed') return;
        const { id, state, label } = envelope.payload;
        this.states.set(id, state);
        if (state === 'connected') this.ensureLane(id).wake();
        else if (LOST_STATES.has(state)) this.numberLost(id, label, state);
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

  /** Each number's state as its events told us, so the send loop does not ask the database every time. */
  private states = new Map<string, string>();

  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.deps.repo.outbox.flushReceipts();
    this.deps.repo.outbox.onReceipts = null;
    for (const lane of this.lanes.values()) lane.wake();
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
    while (!this.stopped) {
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
    if (!lane.reconciled) {
      await this.reconcile(lane.numberId, driver);
      lane.reconciled = true;
    }
    this.promoteScheduled();
    const row = repo.outbox.next(lane.numberId);
    if (!row) {
      lane.waiting = null;
      this.completeFinished();
      const retry = repo.outbox.nextRetryAt(lane.numberId);
      await lane.idle(retry === null ? IDLE_MS : Math.min(IDLE_MS, retry - clock.now()));
      return;
    }
    const settings = this.pacerSettingsOf(row.campaign_id);
    const decision = nextAllowed({ now: clock.now(), earliest: lane.earliest, history: this.history(lane), settings });
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

  /** The number's sending history, from the outbox (so a restart does not reset it). */
  private history(lane: Lane): History {
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
    };
  }

  /** A campaign's settings are fixed when it is created: parsed once, not before every send. */
  private settingsCache = new Map<number, PacerSettings>();

  private pacerSettingsOf(campaignId: number): PacerSettings {
    let settings = this.settingsCache.get(campaignId);
    if (!settings) {
      settings = pacerSettings(this.deps.repo.settings(campaignId));
      this.settingsCache.set(campaignId, settings);
    }
    return settings;
  }

  /** Each number's first send ever: once there is one it never changes, so it is read from the outbox once. */
  private firstSends = new Map<string, number>();

  /** The day of sending `at` falls on for a number's warm-up: 0 on its first day of sending (or before it has one). */
  private warmupDay(numberId: string, at: number): number {
    let first = this.firstSends.get(numberId);
    if (first === undefined) {
      const stored = this.deps.repo.outbox.firstSendAt(numberId);
      if (stored === null) return 0;
      first = stored;
      this.firstSends.set(numberId, first);
    }
    return daysBetween(first, at, this.deps.settings.get().timeZone);
  }

  private async dispatch(lane: Lane, driver: WhatsAppDriver, row: OutboxRow, settings: PacerSettings): Promise<void> {
    const { repo, contacts, clock } = this.deps;
    const { outbox } = repo;
    // Opt-outs are checked now, not only when the campaign was made.
    if (contacts.isOptedOut(row.phone)) {
      outbox.finish(row.id, 'skipped', 'opted_out');
      return this.note(row, 'skipped', 'opted_out');
    }
    let chatId: string | null;
    try {
      chatId = row.chat_id ?? (await driver.resolve(row.phone));
    } catch (error) {
      if (!(error instanceof DriverError && error.code === 'not_connected')) outbox.postpone(row.id, clock.now() + RETRY_BACKOFF_MS[0]!);
      return;
    }
    if (!chatId) {
      outbox.finish(row.id, 'skipped', 'not_on_whatsapp');
      contacts.setWaStatus(row.contact_id, 'not_on_whatsapp');
      return this.note(row, 'skipped', 'not_on_whatsapp');
    }
    const sendingAt = clock.now();
    if (!outbox.markSending(row.id, lane.numberId, chatId)) return;
    this.countSend(lane.numberId, sendingAt);
    lane.recent?.push(sendingAt);
    // A fresh lane starts a batch; otherwise its first gap would be an end-of-batch pause.
    if (lane.batchLeft <= 0) lane.batchLeft = this.deps.random.int(...settings.pace.batch);
    const gap = drawGap(settings.pace, lane.batchLeft, this.deps.random);
    lane.batchLeft = gap.batchLeft;
    lane.earliest = sendingAt + gap.gapMs;
    let sent: { messageId: string; at: number };
    try {
      sent = await driver.send(chatId, this.content(row));
    } catch (error) {
      await this.afterFailure(lane.numberId, driver, { ...row, chat_id: chatId, sending_at: sendingAt, attempts: row.attempts + 1 }, error);
      this.checkBrakes(row.campaign_id); // failures can trip the brake; opt-outs check it when they arrive
      return;
    }
    // A throw here (disk full) leaves the row `sending`: it is reconciled with findSent, never sent again blindly.
    outbox.markSent(row.id, sent.messageId, sent.at);
    this.applyEarly(sent.messageId);
    this.note(row, 'sent', null);
  }

  private content(row: OutboxRow): OutgoingMessage {
    if (!row.media_id) return { text: row.text };
    const file = this.deps.media.file(row.media_id);
    const stored = this.deps.media.get(row.media_id);
    return file ? { text: row.text, media: { path: file.path, mimeType: file.mime, fileName: stored.fileName, kind: stored.kind } } : { text: row.text };
  }

  /** Retries only what surely did not go out; anything else is first asked of WhatsApp. */
  private async afterFailure(numberId: string, driver: WhatsAppDriver, row: OutboxRow, error: unknown): Promise<void> {
    const { outbox } = this.deps.repo;
    this.deps.logger.warn({ err: error, sendId: row.id, numberId }, 'send failed');
    if (error instanceof DriverError && !error.maybeSent) {
      if (error.code === 'not_connected') return outbox.requeue(row.id, null, null, true);
      if (error.code === 'media_too_large' || error.code === 'not_on_whatsapp' || row.attempts >= MAX_ATTEMPTS) {
        outbox.finish(row.id, 'failed', error.code);
        return this.note(row, 'failed', error.code);
      }
      return outbox.requeue(row.id, this.deps.clock.now() + (RETRY_BACKOFF_MS[row.attempts - 1] ?? 600_000), error.code);
    }
    await this.reconcileRow(driver, row, true);
  }

  /**
   * found → sent; surely not sent → queued again; cannot tell → in doubt. Only a driver error counts as an attempt
   * (after the last one: failed); a crash that interrupted the send does not.
   */
  private async reconcileRow(driver: WhatsAppDriver, row: OutboxRow, afterDriverError: boolean): Promise<void> {
    const { outbox } = this.deps.repo;
    if (!row.chat_id) return outbox.requeue(row.id, null, null, true);
    let found: string | null;
    try {
      found = await driver.findSent(row.chat_id, { text: row.text, after: (row.sending_at ?? 0) - 5000 });
    } catch (error) {
      if (error instanceof DriverError && error.code === 'not_connected') return; // still `sending`: reconciled on reconnect
      outbox.finish(row.id, 'in_doubt', 'unknown');
      return this.note(row, 'in_doubt', null);
    }
    if (found) {
      outbox.markSent(row.id, found, this.deps.clock.now());
      this.applyEarly(found);
      return this.note(row, 'sent', null);
    }
    if (!afterDriverError) return outbox.requeue(row.id, null, null, true);
    if (row.attempts >= MAX_ATTEMPTS) {
      outbox.finish(row.id, 'failed', 'send_failed');
      return this.note(row, 'failed', 'send_failed');
    }
    outbox.requeue(row.id, this.deps.clock.now() + (RETRY_BACKOFF_MS[row.attempts - 1] ?? 600_000), 'send_failed');
  }

  /**
   * At start-up and on every reconnection, before anything else goes: what a crash left `sending` is settled, and
   * what WhatsApp holds that the app missed while away is caught up (replies and opt-outs, receipts).
   */
  private async reconcile(numberId: string, driver: WhatsAppDriver): Promise<void> {
    for (const row of this.deps.repo.outbox.inFlight(numberId)) {
      await this.reconcileRow(driver, row, false);
      this.markDirty(row.campaign_id);
    }
    await catchUp({ db: this.deps.db, outbox: this.deps.repo.outbox, clock: this.deps.clock, logger: this.deps.logger }, numberId, driver, {
      incoming: (message) => this.onIncoming(numberId, message),
      refused: (messageId) => this.onAck({ messageId, ack: 'error', at: this.deps.clock.now() }),
    });
  }

  private onAck(ack: { messageId: string; ack: AckState; at: number }): void {
    const { outbox } = this.deps.repo;
    if (ack.ack === 'error') {
      outbox.flushReceipts();
      const row = this.deps.db.prepare('SELECT * FROM sends WHERE message_id = ?').get(ack.messageId) as OutboxRow | undefined;
      if (row && (row.state === 'sent' || row.state === 'sending')) {
        outbox.finish(row.id, 'failed', 'whatsapp_error');
        this.note(row, 'failed', 'whatsapp_error');
      }
      return;
    }
    // A row only learns its message id as it becomes `sent`, so a `sent` receipt never moves anything.
    const state = ack.ack === 'played' ? 'read' : ack.ack === 'delivered' || ack.ack === 'read' ? ack.ack : null;
    if (state) outbox.receipt({ messageId: ack.messageId, state, at: ack.at });
  }

  private onReceipts(written: WrittenReceipt[]): void {
    for (const receipt of written) {
      if (receipt.campaignId !== undefined) {
        this.markDirty(receipt.campaignId);
        continue;
      }
      // It may arrive before send() returned its id: kept until the row knows its message id.
      const known = this.early.get(receipt.messageId);
      if (!known || RANK[receipt.state] > RANK[known]) this.early.set(receipt.messageId, receipt.state);
      if (this.early.size > 10_000) this.early.delete(this.early.keys().next().value as string);
    }
  }

  private applyEarly(messageId: string): void {
    const state = this.early.get(messageId);
    if (!state) return;
    this.early.delete(messageId);
    this.deps.repo.outbox.ack(messageId, state, this.deps.clock.now());
  }

  private async onIncoming(numberId: string, message: { messageId: string; chatId: string; body: string; type: string; at: number }): Promise<void> {
    const { db, contacts, settings, bus, repo } = this.deps;
    type Link = { phone: string; contact_id: number; campaign_id: number; name: string | null };
    // The chat we wrote to, or (someone not written to yet) the latest send to that phone.
    const byChat = db.prepare('SELECT phone, contact_id, campaign_id, name FROM sends WHERE chat_id = ? ORDER BY COALESCE(sent_at, 0) DESC LIMIT 1').get(message.chatId) as Link | undefined;
    const phone = byChat?.phone ?? phoneFromChatId(message.chatId);
    const link = byChat ?? (phone ? (db.prepare('SELECT phone, contact_id, campaign_id, name FROM sends WHERE phone = ? ORDER BY id DESC LIMIT 1').get(phone) as Link | undefined) : undefined);
    const config = settings.get();
    const optOut = message.type === 'chat' && isOptOut(message.body, config.optOutWords);
    const stored = db.prepare(
      'INSERT OR IGNORE INTO incoming (number_id, chat_id, phone, contact_id, campaign_id, message_id, body, type, opt_out, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(numberId, message.chatId, phone, link?.contact_id ?? null, link?.campaign_id ?? null, message.messageId, message.body, message.type, optOut ? 1 : 0, message.at);
    // Seen already (live, or by an earlier catch-up): answered once, never twice.
    if (stored.changes === 0) return;
    bus.emit('inbox.changed', { reason: optOut ? 'opt_out' : 'reply' });
    if (link) this.pushEvent(link.campaign_id, { kind: optOut ? 'opt_out' : 'reply', phone: link.phone, name: link.name, detail: message.body.slice(0, 80) });
    if (!optOut || !phone) return;
    contacts.optOut(phone, 'reply', 'contact', message.body.slice(0, 200));
    for (const campaignId of repo.outbox.skipPhone(phone, 'opted_out')) this.markDirty(campaignId);
    bus.emit('contacts.changed', { reason: 'opt_out' });
    if (link) this.checkBrakes(link.campaign_id);
    if (config.optOutReplyEnabled) {
      const driver = this.deps.sessions.driver(numberId);
      await driver?.send(message.chatId, { text: config.optOutReply }).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'opt-out confirmation failed'));
    }
  }

  /** Pauses a running campaign by itself, saying why, when opt-outs or failures pile up. */
  private checkBrakes(campaignId: number): void {
    const { db, repo } = this.deps;
    const campaign = repo.row(campaignId);
    if (campaign.state !== 'running') return;
    repo.outbox.flushReceipts();
    const optOuts = db
      .prepare(
        `SELECT COUNT(*) FROM (SELECT phone FROM sends WHERE campaign_id = ? AND sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT ?) s
         JOIN opt_outs o ON o.phone = s.phone AND o.created_at >= ?`,
      )
      .pluck()
      .get(campaignId, BRAKE.optOutWindow, campaign.started_at ?? 0) as number;
    if (optOuts >= BRAKE.optOuts) return this.brake(campaignId, 'brake_opt_outs', String(optOuts));
    const failed = db
      .prepare(
        `SELECT COUNT(*) FROM (SELECT state FROM sends WHERE campaign_id = ? AND state IN ('sent', 'delivered', 'read', 'failed') ORDER BY updated_at DESC LIMIT ?)
         WHERE state = 'failed'`,
      )
      .pluck()
      .get(campaignId, BRAKE.failureWindow) as number;
    if (failed >= BRAKE.failures) this.brake(campaignId, 'brake_failures', String(failed));
  }

  private brake(campaignId: number, reason: string, detail: string): void {
    this.deps.repo.transition(campaignId, 'paused', { reason, detail, needsConfirmation: true });
    this.pushEvent(campaignId, { kind: 'brake', phone: null, name: null, detail: reason });
    this.deps.logger.warn({ campaignId, reason, detail }, 'campaign braked');
  }

  /** A logout, ban or conflict: that number stops, its contacts go to the others, and the campaign pauses to say so. */
  private numberLost(numberId: string, label: string, state: string): void {
    const { repo } = this.deps;
    for (const campaignId of repo.campaignsOfNumber(numberId, ['running', 'paused', 'scheduled'])) {
      const left = repo.loseNumber(campaignId, numberId);
      const campaign = repo.row(campaignId);
      if (campaign.state === 'running' || campaign.state === 'scheduled') {
        repo.transition(campaignId, 'paused', { reason: left > 0 ? 'number_lost' : 'no_numbers', detail: `${label}: ${state}`, needsConfirmation: true });
      }
      this.pushEvent(campaignId, { kind: 'number_lost', phone: null, name: label, detail: state });
    }
  }

  /** Scheduled starts are looked for at most once a second of clock time, not before every send. */
  private nextPromoteCheck = 0;

  private promoteScheduled(): void {
    const { repo, clock } = this.deps;
    if (clock.now() < this.nextPromoteCheck) return;
    this.nextPromoteCheck = clock.now() + 1000;
    for (const id of repo.ids(['scheduled'])) {
      const startAt = repo.settings(id).startAt;
      if (startAt === null || startAt <= clock.now()) {
        repo.transition(id, 'running');
        this.markDirty(id);
      }
    }
  }

  private completeFinished(): void {
    const { repo } = this.deps;
    for (const id of repo.ids(['running'])) {
      if (repo.remaining(id) === 0) {
        repo.transition(id, 'completed');
        this.markDirty(id);
      }
    }
  }

  private note(row: OutboxRow, kind: CampaignEvent['kind'], detail: string | null): void {
    this.pushEvent(row.campaign_id, { kind, phone: row.phone, name: row.name, detail });
  }

  private pushEvent(campaignId: number, event: Omit<CampaignEvent, 'at'>): void {
    const list = this.events.get(campaignId) ?? [];
    list.unshift({ ...event, at: this.deps.clock.now() });
    list.length = Math.min(list.length, LAST_EVENTS);
    this.events.set(campaignId, list);
    this.markDirty(campaignId);
  }

  /** Today's cap of one of the campaign's numbers: its pace's, or the warm-up's for a new number. */
  dailyCapOf(campaignId: number, numberId: string): number {
    return dailyCap(this.pacerSettingsOf(campaignId).pace, this.warmupDay(numberId, this.deps.clock.now()));
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
      return { numberId: n.id, label: number?.label ?? n.label, state: number?.state ?? (n.lost ? 'logged_out' : 'stopped'), sentToday: this.sentOnDay(n.id, clock.now(), zone), dailyCap: this.dailyCapOf(campaignId, n.id), lost: n.lost };
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
    const waiting = [...this.lanes.values()].map((l) => l.waiting).find((w) => w?.campaignId === campaignId && w.why !== 'spacing') ?? null;
    return {
      campaignId,
      state: row.state,
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      pace,
      perNumber,
      eta,
      waiting: waiting ? { until: waiting.until, why: waiting.why } : null,
      pauseReason: row.pause_reason,
      needsConfirmation: row.needs_confirmation === 1,
      events: this.events.get(campaignId) ?? [],
    };
  }
}
