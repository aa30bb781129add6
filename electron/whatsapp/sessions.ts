import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NumberView, SimFault } from '../../shared/numbers';
import { AppError } from '../core/app-error';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import { DriverError, type DriverEvents, type WhatsAppDriver } from './driver';
import type { WaLimits } from '../../shared/wa-limits';

/** The demo's faults that change WhatsApp's limits on reaching new people. */
const LIMIT_FAULTS = new Set<SimFault>(['cap_warning', 'cap_reached', 'timelock']);
import { fromDb, type NumbersRepo, type DbNumber } from './numbers-repo';
import type { DemoControls } from './demo-browser';
import { SimulatedDriver } from './simulator';
import type { SampleMediaKind } from './sample-media';
import { StartQueue } from './start-queue';

/** `visible`: the browser's window is shown (a passkey to complete while linking). */
export type DriverSpec = { numberId: string; kind: DbNumber['kind']; sessionDir: string; visible?: boolean };
export type DriverFactory = (spec: DriverSpec) => WhatsAppDriver;

/** Restart delays after a crash (or a `ready` that never came); after the last one the number stays in `error`. */
export const RESTART_BACKOFF_MS = [2_000, 10_000, 30_000] as const;
/** No internet (the PC started before the Wi-Fi): retried for as long as it takes, then every two minutes. */
export const NETWORK_RETRY_MS = [5_000, 15_000, 30_000, 60_000, 120_000] as const;

type ForwardedEvent = 'ack' | 'incoming' | 'ready' | 'disconnected' | 'lid' | 'pairingCode' | 'limits';
type Session = { driver: WhatsAppDriver; qr: string | null; pairingCode: string | null; crashes: number; offline: number; readyTimeouts: number; unsubscribe: (() => void)[] };
type DriverListener = <E extends ForwardedEvent>(numberId: string, event: E, payload: DriverEvents[E]) => void;

/** The linked numbers: creates, starts at app start, stops at quit, restarts after crashes, reports state live. */
export class SessionManager {
  private sessions = new Map<string, Session>();
  private starts: StartQueue;
  private listeners = new Set<DriverListener>();
  private readonly repo: NumbersRepo;

  constructor(
    private readonly deps: {
      repo: NumbersRepo;
      bus: EventBus;
      logger: Logger;
      clock: Clock;
      sessionsDir: string;
      driverFactory: DriverFactory;
      defaultLabel: (kind: DbNumber['kind']) => string;
      /** How many sessions may be starting at once (each real one is a browser). */
      startSlots?: number;
      /** A new number's id; tests seed it (the simulator's randomness per number derives from it). */
      newId?: () => string;
      /** `--demo-browser`: demo numbers run in a real browser against the WhatsApp Web double, played from here. */
      demoBrowser?: DemoControls;
      /** What WhatsApp states of each number's limits (shown with the number). */
      limits?: { get(numberId: string): WaLimits | null; refresh(numberId: string, driver: WhatsAppDriver, maxAgeMs?: number): Promise<WaLimits | null> };
    },
  ) {
    this.repo = deps.repo;
    this.starts = new StartQueue(deps.startSlots ?? 2, 30_000, (ms) => deps.clock.sleep(ms));
  }

  /** At app start: every number that was not unlinked or banned reconnects (linked ones without a QR). */
  startAll(): void {
    for (const row of this.repo.active()) {
      if (row.state === 'logged_out' || row.state === 'banned') continue;
      this.launch(row);
    }
  }

  list(): NumberView[] {
    return this.repo.active().map((row) => this.view(row));
  }

  /** `prepare`: what a kind needs in place before its driver starts (a Cloud number's account and token). */
  add(kind: DbNumber['kind'], label?: string, prepare?: (id: string) => void): NumberView {
    const id = this.deps.newId?.() ?? `n_${crypto.randomBytes(6).toString('hex')}`;
    const row = this.repo.insert({ id, kind, label: label ?? this.deps.defaultLabel(kind) }, this.deps.clock.now());
    prepare?.(id);
    this.launch(row);
    return this.publish(id);
  }

  rename(id: string, label: string): NumberView {
    this.require(id);
    this.repo.rename(id, label, this.deps.clock.now());
    return this.publish(id);
  }

  /**
   * WhatsApp asks for a passkey to link (state `passkey`): the number starts again with WhatsApp Web's window shown,
   * where the user scans and completes the passkey with the browser's own prompt; once ready it runs unseen again.
   */
  showWindow(id: string): NumberView {
    const row = this.require(id);
    const driver = this.sessions.get(id)?.driver;
    // The demo has no window: the passkey is taken as given in it, and the number links.
    if (row.kind === 'demo' && this.deps.demoBrowser) {
      this.deps.demoBrowser.givePasskey();
      return this.view(row);
    }
    if (row.kind === 'demo' && driver instanceof SimulatedDriver) {
      driver.givePasskey();
      return this.view(this.require(id));
    }
    if (row.kind !== 'real') throw new AppError('not_available', 'only a number linked by phone has a WhatsApp Web window', 'id');
    this.visible.add(id);
    return this.reconnect(id);
  }

  /** Numbers whose next start shows WhatsApp Web's window (until it is ready). */
  private readonly visible = new Set<string>();

  reconnect(id: string): NumberView {
    const row = this.require(id);
    const session = this.sessions.get(id);
    if (session) session.crashes = 0;
    void this.shutdown(id).then(() => this.launch(row));
    return this.view(row);
  }

  /** Unlinks: logout (WhatsApp forgets the device), the session folder is deleted, the number leaves the list. */
  async remove(id: string): Promise<void> {
    const row = this.require(id);
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    if (session) {
      for (const off of session.unsubscribe) off();
      // Only a linked session has a device to log out; one still starting or showing a QR just stops.
      if (row.linked_at !== null && row.state !== 'logged_out') {
        await session.driver.logout().catch((error: unknown) => this.deps.logger.warn({ err: error, id }, 'logout failed'));
      }
      await session.driver.stop().catch(() => undefined);
    }
    fs.rmSync(this.sessionDir(id), { recursive: true, force: true });
    this.repo.markRemoved(id, this.deps.clock.now());
    this.deps.bus.emit('numbers.removed', { id });
  }

  simulateScan(id: string): NumberView {
    const row = this.require(id);
    const session = this.sessions.get(id);
    const driver = session?.driver;
    if (row.kind === 'demo' && this.deps.demoBrowser && session) {
      // The double's phone scans the QR whatsapp-web.js shows in the browser; the link comes as on a real phone.
      if (row.state !== 'qr' || !session.qr) throw new AppError('not_waiting_for_qr', 'this number is not showing a QR');
      this.deps.demoBrowser.scan(session.qr);
      return this.view(this.require(id));
    }
    if (row.kind !== 'demo' || !(driver instanceof SimulatedDriver)) throw new AppError('not_demo', 'only demo numbers can simulate a scan');
    if (driver.currentState !== 'qr') throw new AppError('not_waiting_for_qr', 'this number is not showing a QR');
    driver.scan();
    return this.view(this.require(id));
  }

  /** Links by phone number: the code WhatsApp gives for that phone, to type on it (the QR keeps working too). */
  async requestPairingCode(id: string, e164: string): Promise<string> {
    this.require(id);
    const session = this.sessions.get(id);
    if (!session || this.repo.get(id)?.state !== 'qr' || !session.driver.requestPairingCode) {
      throw new AppError('not_waiting_for_qr', 'this number is not waiting to be linked');
    }
    const code = await session.driver.requestPairingCode(e164);
    session.pairingCode = code;
    this.publish(id);
    return code;
  }

  /** Demo numbers only: the number meets a problem real WhatsApp has, to see what the app does about it. */
  simulateFault(id: string, fault: SimFault): void {
    const row = this.require(id);
    const driver = this.sessions.get(id)?.driver;
    if (row.kind === 'demo' && this.deps.demoBrowser) this.deps.demoBrowser.fault(this.linkedPhone(row), fault);
    else if (row.kind !== 'demo' || !(driver instanceof SimulatedDriver)) throw new AppError('not_demo', 'only demo numbers can simulate a fault');
    else driver.simulateFault(fault);
    // WhatsApp's limits changed: read at once, so every screen shows them (the double's page has them a moment later).
    if (driver && LIMIT_FAULTS.has(fault)) {
      const read = () => void this.deps.limits?.refresh(id, driver, 0);
      if (row.kind === 'demo' && this.deps.demoBrowser) setTimeout(read, 1000).unref?.();
      else read();
    }
  }

  /** Demo numbers only: a contact writes back, as they would on WhatsApp. */
  async simulateReply(id: string, e164: string, body: string, media?: SampleMediaKind): Promise<string> {
    const row = this.require(id);
    if (row.kind === 'demo' && this.deps.demoBrowser) {
      // The WhatsApp Web double has no media download yet (whatsapp-web.js's downloadMedia reads the page's media store).
      if (media) throw new AppError('invalid_input', 'the browser demo sends text replies only', 'media');
      return this.deps.demoBrowser.reply(this.linkedPhone(row), e164, body);
    }
    const driver = this.sessions.get(id)?.driver;
    if (row.kind !== 'demo' || !(driver instanceof SimulatedDriver)) throw new AppError('not_demo', 'only demo numbers can simulate a reply');
    const chatId = driver.chatIdOf(e164);
    await driver.script([{ afterMs: 0, do: 'reply', chatId, body, ...(media ? { media } : {}) }]);
    return chatId;
  }

  /** The phone a demo number linked (the double plays that phone); a number not linked yet has none. */
  private linkedPhone(row: DbNumber): string {
    if (!row.phone) throw new AppError('illegal_transition', 'the number is not linked', 'id');
    return row.phone;
  }

  /** The driver of a number, for sending; undefined when it is not running. */
  driver(id: string): WhatsAppDriver | undefined {
    return this.sessions.get(id)?.driver;
  }

  /** The driver of a number that is connected now (for a test send, a WhatsApp check), with its kind. */
  connected(id: string): { driver: WhatsAppDriver; kind: DbNumber['kind'] } | undefined {
    const row = this.repo.get(id);
    const driver = this.sessions.get(id)?.driver;
    return row?.state === 'connected' && driver ? { driver, kind: row.kind } : undefined;
  }

  /** Campaigns listen here for acks, replies and disconnections of every number. */
  onDriverEvent(listener: DriverListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.shutdown(id)));
  }

  sessionDir(id: string): string {
    return path.join(this.deps.sessionsDir, `session-${id}`);
  }

  private launch(row: DbNumber): void {
    const visible = this.visible.has(row.id);
    const driver = this.deps.driverFactory({ numberId: row.id, kind: row.kind, sessionDir: this.sessionDir(row.id), ...(visible ? { visible } : {}) });
    const previous = this.sessions.get(row.id);
    const session: Session = { driver, qr: null, pairingCode: null, crashes: previous?.crashes ?? 0, offline: previous?.offline ?? 0, readyTimeouts: previous?.readyTimeouts ?? 0, unsubscribe: [] };
    this.sessions.set(row.id, session);
    const id = row.id;
    const forward = <E extends ForwardedEvent>(event: E) =>
      driver.on(event, (payload) => {
        for (const listener of this.listeners) listener(id, event, payload);
      });
    session.unsubscribe.push(
      driver.on('qr', ({ qr }) => {
        session.qr = qr;
        this.publish(id);
      }),
      driver.on('state', ({ state, error, detail }) => {
        if (this.sessions.get(id) !== session) return;
        if (state !== 'qr') {
          session.qr = null;
          session.pairingCode = null;
        }
        if (state === 'connected') {
          session.crashes = 0;
          session.offline = 0;
          session.readyTimeouts = 0;
        }
        if (state === 'error' && error === 'ready_timeout') {
          session.readyTimeouts += 1;
          if (this.readyNeverComesAnywhere()) return;
        }
        if (state === 'logged_out') this.repo.clearLink(id, this.deps.clock.now());
        this.repo.setState(id, state, error ?? null, detail ?? null, this.deps.clock.now());
        this.publish(id);
        if (state === 'error' && (error === 'crashed' || error === 'ready_timeout')) this.scheduleRestart(id, session);
        if (state === 'error' && error === 'network') this.scheduleRetry(id, session);
      }),
      driver.on('pairingCode', ({ code }) => {
        session.pairingCode = code;
        this.publish(id);
      }),
      driver.on('ready', ({ phone, name }) => {
        this.repo.setLinked(id, phone, name, this.deps.clock.now());
        this.publish(id);
        // Linked with the window shown (a passkey): the session is saved, so it starts again unseen.
        if (visible && this.visible.delete(id)) this.reconnect(id);
      }),
      forward('ack'),
      forward('incoming'),
      forward('ready'),
      forward('disconnected'),
      forward('lid'),
      forward('pairingCode'),
      forward('limits'),
    );
    void this.starts.run(() =>
      (this.sessions.get(id) === session ? driver.start() : Promise.resolve()).catch((error: unknown) => {
        // The driver has already reported the state with its reason; the log keeps the details. A start the app's
        // own stop cut short is no failure (and the log may be closed by then).
        if (error instanceof DriverError && error.code === 'not_connected') return;
        this.deps.logger.warn({ err: error, id }, 'number failed to start');
      }),
    );
  }

  /** Offline: tried again and again, further apart, until the network is back (no limit on the count). */
  private scheduleRetry(id: string, session: Session): void {
    const delay = NETWORK_RETRY_MS[Math.min(session.offline, NETWORK_RETRY_MS.length - 1)] as number;
    session.offline += 1;
    this.deps.logger.info({ id, attempt: session.offline, delay }, 'no internet: retrying the session');
    this.relaunchAfter(id, session, delay);
  }

  /**
   * A sign of a WhatsApp Web change: every real number that was linked before authenticates and then never becomes
   * ready, twice in a row each. One number alone is more likely its network; all of them at once is the page. They
   * all go to `wa_changed` (no more restarts, which would only meet the same page) until a retry or an update.
   */
  private readyNeverComesAnywhere(): boolean {
    const linked = this.repo.active().filter((n) => n.kind === 'real' && n.linked_at !== null);
    if (linked.length === 0) return false;
    const stuck = linked.every((n) => (this.sessions.get(n.id)?.readyTimeouts ?? 0) >= 2);
    if (!stuck) return false;
    this.deps.logger.warn({ numbers: linked.length }, 'no number becomes ready: WhatsApp Web changed');
    for (const n of linked) {
      this.repo.setState(n.id, 'wa_changed', null, 'ready never came on any number', this.deps.clock.now());
      this.publish(n.id);
    }
    return true;
  }

  private scheduleRestart(id: string, session: Session): void {
    const delay = RESTART_BACKOFF_MS[session.crashes];
    if (delay === undefined) return;
    session.crashes += 1;
    this.deps.logger.warn({ id, attempt: session.crashes, delay }, 'restarting a crashed session');
    this.relaunchAfter(id, session, delay);
  }

  /**
   * After `delay`, the session starts again, unless it was replaced meanwhile (the user retried) or left its error.
   * The new session inherits the crash and offline counts from the one still in the map.
   */
  private relaunchAfter(id: string, session: Session, delay: number): void {
    void this.deps.clock.sleep(delay).then(async () => {
      if (this.sessions.get(id) !== session) return;
      const row = this.repo.get(id);
      if (!row || row.state !== 'error') return;
      await this.shutdown(id);
      this.launch(row);
    });
  }

  private async shutdown(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    for (const off of session.unsubscribe) off();
    await session.driver.stop().catch((error: unknown) => this.deps.logger.warn({ err: error, id }, 'stop failed'));
    const row = this.repo.get(id);
    if (row && row.state !== 'logged_out' && row.state !== 'banned') {
      this.repo.setState(id, 'stopped', null, null, this.deps.clock.now());
    }
  }

  private require(id: string): DbNumber {
    const row = this.repo.get(id);
    if (!row) throw new AppError('not_found', `no number ${id}`, 'id');
    return row;
  }

  private view(row: DbNumber): NumberView {
    const session = this.sessions.get(row.id);
    return fromDb(row, session?.qr ?? null, session?.pairingCode ?? null, this.deps.limits?.get(row.id) ?? null);
  }

  /** The number's view again (its limits changed), to every screen. */
  republish(id: string): void {
    if (this.repo.get(id)) this.publish(id);
  }

  private publish(id: string): NumberView {
    const view = this.view(this.require(id));
    this.deps.bus.emit('numbers.changed', view);
    return view;
  }
}
