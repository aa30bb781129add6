import path from 'node:path';
import { findBrowser } from '../browser-finder';
import {
  DriverEmitter,
  DriverError,
  type DriverEventName,
  type DriverEvents,
  type NumberState,
  type Unsubscribe,
} from '../driver';
import { classifyStartError, isCrash, isWhatsAppChange, mapAck, mapDisconnect, mapWaState } from '../wwebjs-mapping';
import { setTimeout as sleep } from 'node:timers/promises';
import { readMessageKey, widText } from './message-key';
import { whatsAppWebShim, type ShimReport } from './page-shim';
import { clearStaleProfileLocks, isAlive, killTree, removeWithRetry } from './process-tree';
import { endProfileOrphans, liveLockHolder, profileProcesses } from './orphans';
import { phoneOfWid } from './wids';
import { PageWatchers } from './page-watchers';
import type { WwebClient, WwebDriverConfig, WwebMessage } from './client-types';
import { browserArgs, createRealClient, textOfError, withTimeout } from './real-client';

export type { WwebClient, WwebClientOptions, WwebDriverConfig, WwebMessage } from './client-types';

/** How long a number waits, at most, for WhatsApp Web's capping listener to be in the page before it is connected. */
const WATCH_LIMITS_WAIT_MS = 10_000;
const ENDED_MEANWHILE = new Set<NumberState>(['stopped', 'logged_out', 'banned', 'conflict', 'wa_changed', 'error']);


/**
 * A number's WhatsApp Web session in whatsapp-web.js: the browser's start and stop, the library's events, the
 * compatibility shim, the ready watchdog, crashes and restarts. The driver's sends and reads (wwebjs.ts) run on it.
 */
export abstract class WwebSession {
  protected emitter = new DriverEmitter();
  protected client: WwebClient | undefined;
  protected stopping = false;
  /** The library destroys the client itself after a ban, unlink or conflict: its browser's exit is no crash. */
  protected ended = false;
  protected state: NumberState = 'stopped';
  protected readyTimer: NodeJS.Timeout | undefined;
  protected lastShim: ShimReport | null = null;

  protected readonly watchers: PageWatchers;

  constructor(protected readonly config: WwebDriverConfig) {
    this.watchers = new PageWatchers({
      numberId: config.numberId,
      visible: config.visible,
      logger: config.logger,
      current: () => this.client,
      state: () => this.state,
      ending: () => this.ended || this.stopping,
      setState: (state) => this.setState(state),
      armReadyWatchdog: () => this.armReadyWatchdog(),
      clearReadyWatchdog: () => this.clearReadyWatchdog(),
      noteCrash: (reason) => this.noteCrash(reason),
      emitLimits: () => this.emitter.emit('limits', {}),
    });
  }

  on<E extends DriverEventName>(event: E, listener: (payload: DriverEvents[E]) => void): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  webVersion(): string | null {
    return this.lastShim?.build ?? null;
  }

  /** What the compatibility shim found in the page the last time it ran (diagnostics). */
  get shimReport(): ShimReport | null {
    return this.lastShim;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.ended = false;
    this.setState('connecting');
    const executablePath = (this.config.browserPath ?? (() => findBrowser()))();
    if (!executablePath) {
      this.setState('error', 'browser_not_found');
      throw new DriverError('browser_not_found', 'no Chrome, Edge or Chromium found');
    }
    // A browser a killed app left on this profile is ended first; a lock still held by a live browser on it is
    // never removed (that would put a second WhatsApp Web client on the same session).
    const orphans = endProfileOrphans(this.profileDir());
    if (orphans.length > 0) {
      this.config.logger.warn({ numberId: this.config.numberId, orphans }, 'ended browsers left on this profile by an earlier run');
      for (let i = 0; i < 40 && profileProcesses(this.profileDir()).length > 0; i++) await sleep(50);
    }
    const holder = liveLockHolder(this.profileDir());
    if (holder !== undefined) {
      this.setState('error', 'browser_failed');
      throw new DriverError('browser_failed', `the profile is in use by a browser that could not be ended (pid ${holder})`);
    }
    const removed = clearStaleProfileLocks(this.profileDir());
    if (removed.length > 0) this.config.logger.warn({ numberId: this.config.numberId, removed }, 'removed stale browser profile locks');
    const client = await (this.config.createClient ?? createRealClient)({
      numberId: this.config.numberId,
      sessionsDir: this.config.sessionsDir,
      cacheDir: this.config.cacheDir,
      executablePath,
      args: [...browserArgs(), ...(this.config.extraBrowserArgs ?? [])],
      headless: !this.config.visible,
    });
    this.client = client;
    this.wire(client);
    const timeoutMs = this.config.startTimeoutMs ?? 90_000;
    try {
      this.initializing = client;
      await withTimeout(client.initialize(), timeoutMs, `WhatsApp Web did not open within ${timeoutMs} ms`).finally(() => {
        if (this.initializing === client) this.initializing = undefined;
      });
    } catch (error) {
      // Stopped while it was starting: the stop said what the state is; this failure is only its echo.
      if (this.stopping || this.client !== client) throw new DriverError('not_connected', 'stopped while starting');
      const code = error instanceof DriverError ? error.code : classifyStartError(error);
      this.config.logger.warn({ numberId: this.config.numberId, err: error, code }, 'WhatsApp Web failed to start');
      await this.teardown();
      this.setState('error', code, error instanceof Error ? error.message : String(error));
      throw new DriverError(code, error instanceof Error ? error.message : String(error));
    }
    this.watchers.watchBrowser(client);
    this.watchers.watchReloads(client);
    await this.watchers.watchPasskeysOnce(client);
    // initialize() returns before `ready`: with a saved session and no QR, `ready` must follow within its limit.
    if (this.state !== 'qr' && this.state !== 'connected') this.armReadyWatchdog();
  }

  /** Links by phone number instead of a QR: the 8-character code the user types on their phone. */
  async requestPairingCode(e164: string): Promise<string> {
    const client = this.client;
    if (!client?.requestPairingCode || this.state !== 'qr') throw new DriverError('not_connected', 'pairing needs the number to be waiting for a link');
    const code = await this.call('pairingCode', () => (client.requestPairingCode as (p: string, n: boolean) => Promise<string>)(e164.replace(/\D/g, ''), true));
    return String(code);
  }

  async logout(): Promise<void> {
    const client = this.client;
    this.stopping = true;
    if (client) {
      await withTimeout(client.logout(), this.config.stopTimeoutMs ?? 10_000, 'logout timed out').catch((error: unknown) => {
        this.config.logger.warn({ err: error }, 'logout failed; removing the session anyway');
      });
    }
    await this.teardown();
    await removeWithRetry(this.profileDir()).catch((error: unknown) => this.config.logger.warn({ err: error }, 'session folder not removed'));
    this.setState('logged_out');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.teardown();
    this.setState('stopped');
  }

  protected profileDir(): string {
    return path.join(this.config.sessionsDir, `session-${this.config.numberId}`);
  }

  protected wire(client: WwebClient): void {
    // whatsapp-web.js events carry untyped arguments; each listener below states what the library sends.
    const on = <A extends unknown[]>(event: string, listener: (...args: A) => void) =>
      client.on(event, listener as (...args: unknown[]) => void);
    on('qr', (qr: string) => {
      // A new QR: the library lives on (after a LOGOUT it reloads and asks to link again), so its session has not ended.
      this.ended = false;
      this.clearReadyWatchdog();
      const show = () => {
        if (this.client !== client) return;
        this.setState('qr');
        this.watchers.watchLinking(client);
        this.emitter.emit('qr', { qr });
      };
      // Shown once the passkey that may follow a scan would be seen (the first QR comes while initialize() still
      // runs): a scan made at once met an unwatched page in CI, and the passkey went unseen.
      const watching = this.watchers.watchPasskeysOnce(client);
      if (watching) void watching.then(show);
      else show();
    });
    on('code', (code: string) => this.emitter.emit('pairingCode', { code: String(code) }));
    on('authenticated', () => {
      // A session that ended (logged out, banned, opened elsewhere) stays as it ended until the user acts.
      if (this.ended) return;
      this.setState('connecting');
      this.armReadyWatchdog();
    });
    on('auth_failure', (message: string) => this.setState('logged_out', undefined, String(message)));
    on('ready', () => void this.onReady(client));
    on('change_state', (raw: string) => {
      const mapped = mapWaState(raw);
      // States the library does not accept: it disconnects and destroys its browser next (Client.js).
      if (mapped.state === 'logged_out' || mapped.state === 'banned' || mapped.state === 'conflict') this.ended = true;
      this.setState(mapped.state, mapped.error, raw);
    });
    on('disconnected', (raw: string) => {
      const mapped = mapDisconnect(String(raw));
      // The library destroys its own browser after this (or, after LOGOUT, shows a new QR): that close is not a
      // crash, and the number keeps the state it ended in (a PROXYBLOCK was shown as a crash and restarted as one).
      this.ended = true;
      this.clearReadyWatchdog();
      this.setState(mapped.state, mapped.error ?? (mapped.state === 'error' ? 'unknown' : undefined), String(raw));
      this.emitter.emit('disconnected', mapped.event);
    });
    on('message_ack', (message: WwebMessage, ack: number) => {
      const key = readMessageKey(message?.id);
      if (!key) return this.config.logger.warn({ numberId: this.config.numberId }, 'ack without a readable message id');
      this.emitter.emit('ack', { messageId: key.id, ack: mapAck(ack), at: this.config.clock.now() });
    });
    on('message', (message: WwebMessage) => {
      void this.incomingOf(message).then(
        (incoming) => incoming && this.emitter.emit('incoming', incoming),
        (error: unknown) => this.config.logger.warn({ err: error }, 'incoming message not read'),
      );
    });
  }

  /** `ready` is trusted only once the compatibility shim has run in the page. */
  protected async onReady(client: WwebClient): Promise<void> {
    this.clearReadyWatchdog();
    const shim = await this.applyShim(client);
    if (this.client !== client) return;
    // The page is not what the shim knows: sending would meet the change message by message. Nothing goes out
    // (the lanes wait for `connected`) until an update, or a retry that finds the page as it knows it.
    if (shim !== 'ok') {
      this.setState('wa_changed', undefined, shim);
      return;
    }
    const user = widText(client.info?.wid);
    // The capping listener is in the page before the number is said connected: a limit that changed right after
    // (the lanes start at `connected`) was missed while the binding was still being added (seen on a loaded machine).
    // A page that does not answer does not hold the number back for long.
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([this.watchers.watchLimitChanges(client), new Promise<void>((resolve) => (waited = setTimeout(resolve, WATCH_LIMITS_WAIT_MS)))]);
    clearTimeout(waited);
    // A session that ended meanwhile (logged out, banned, another computer, stopped) is left as it ended.
    if (this.client !== client || this.ended || this.stopping || ENDED_MEANWHILE.has(this.state)) return;
    this.setState('connected');
    // A Mexican mobile's own id carries the old `1` (521…): the linked number is shown as the user knows it (+52…),
    // which the WhatsApp Web double showed (its phone links as 5215…@c.us, as WhatsApp's do).
    this.emitter.emit('ready', { phone: user ? (phoneOfWid(user) ?? `+${user.replace(/@.*$/, '')}`) : '', name: client.info?.pushname ?? null });
  }

  /** 'ok', or what did not match: a patch for a shape the shim does not know, or the shim itself failing. */
  protected async applyShim(client: WwebClient): Promise<string> {
    if (!client.pupPage) return 'ok';
    // Sent as source; `__name` stands in for the helper esbuild adds to named functions (keepNames).
    const source = `(() => { const __name = (f) => f; return (${whatsAppWebShim.toString()})(); })()`;
    try {
      this.lastShim = (await this.call('shim', () => client.pupPage!.evaluate(source))) as ShimReport;
      this.config.logger.info({ numberId: this.config.numberId, shim: this.lastShim }, 'WhatsApp Web compatibility shim');
      const unknown = this.lastShim?.patches?.filter((p) => p.outcome === 'unknown_shape') ?? [];
      return unknown.length === 0 ? 'ok' : `shim: ${unknown.map((p) => `${p.name} (${p.detail ?? '?'})`).join(', ')}`;
    } catch (error) {
      this.config.logger.warn({ numberId: this.config.numberId, err: error }, 'compatibility shim failed');
      if (error instanceof DriverError && (error.code === 'crashed' || error.code === 'timeout')) return 'ok';
      return `shim failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Page errors in a row that look like a WhatsApp Web change, by call (send, resolve, chats…); a success of that
   * call clears them. Not one count for every call: each send first resolves the chat, and a build that broke only
   * the send answered every resolve, so the number failed send after send and never stopped (found on the WhatsApp
   * Web double's `sendActionMoved` build).
   */
  protected changeSigns = new Map<string, number>();

  /** Two in a row of one call: the number stops in `wa_changed` (one alone may be a page that was still loading). */
  protected noteChangeSign(key: string, error: unknown): void {
    if (!isWhatsAppChange(error)) {
      this.changeSigns.delete(key);
      return;
    }
    const signs = (this.changeSigns.get(key) ?? 0) + 1;
    this.changeSigns.set(key, signs);
    this.config.logger.warn({ numberId: this.config.numberId, err: error, call: key, signs }, 'a sign of a WhatsApp Web change');
    if (signs >= 2 && this.state === 'connected') this.setState('wa_changed', undefined, error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300));
  }

  protected armReadyWatchdog(): void {
    this.clearReadyWatchdog();
    const ms = this.config.readyTimeoutMs ?? 120_000;
    this.readyTimer = setTimeout(() => {
      if (this.stopping || this.state === 'connected' || this.state === 'qr' || this.state === 'passkey') return;
      this.config.logger.warn({ numberId: this.config.numberId, ms }, 'WhatsApp Web never became ready');
      void this.teardown().then(() => this.setState('error', 'ready_timeout', `ready did not come within ${ms} ms`));
    }, ms);
    this.readyTimer.unref?.();
  }

  protected clearReadyWatchdog(): void {
    clearTimeout(this.readyTimer);
    this.readyTimer = undefined;
  }

  /** The client whose `initialize()` (the browser's launch, the page's load) is in flight. */
  protected initializing: WwebClient | undefined;

  /**
   * Every call into the page, with a time limit: a hung `evaluate` ends as a timeout (for a send: maybe sent,
   * so it is reconciled, never retried blindly) and a crash restarts the session.
   */
  protected async call<T>(what: string, fn: () => Promise<T>, isSend = false): Promise<T> {
    const ms = this.config.callTimeoutMs ?? 60_000;
    try {
      const value = await withTimeout(fn(), ms, `${what} did not answer within ${ms} ms`);
      this.changeSigns.delete(what);
      return value;
    } catch (error) {
      this.noteChangeSign(what, error);
      if (error instanceof DriverError && error.code === 'timeout') {
        this.config.logger.warn({ numberId: this.config.numberId, what, ms }, 'page call timed out');
        throw new DriverError('timeout', error.message, isSend);
      }
      if (isSend) throw error;
      if (isCrash(error)) this.noteCrash(error);
      // Met a reload: the number is connecting again, and what was asked is asked again once it is ready.
      const code = !isCrash(error) ? 'unknown' : this.state === 'connecting' && this.isReloadError(error) ? 'not_connected' : 'crashed';
      throw new DriverError(code, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * A page call that met a closed browser: a crash, unless the session had ended (logged out, banned, opened
   * elsewhere, a blocked network) and the library was closing its own browser under a call still in flight —
   * then the number keeps the state it ended in (the WhatsApp Web double showed a logout from the phone turned into
   * a crash, restarted to a new QR, and a conflict reconnected by itself).
   */
  protected noteCrash(error: unknown): void {
    if (this.ended || this.stopping) return;
    // A call in flight when WhatsApp Web reloaded itself meets a destroyed context, with the browser alive: a reload,
    // not a crash (restarting the browser then also broke the library's own re-injection, an unhandled "detached
    // Frame"). The number waits for the page to be ready again, and a send it interrupted is asked of WhatsApp then.
    if (this.client && this.isReloadError(error)) return this.watchers.onReload(this.client);
    this.setState('error', 'crashed', error instanceof Error ? error.message : String(error));
  }

  protected isReloadError(error: unknown): boolean {
    // Not "detached Frame": that is also what a closed or crashed tab leaves, and a crash is restarted.
    return /Execution context was destroyed/i.test(textOfError(error)) && this.client?.pupBrowser?.connected !== false;
  }

  protected connectedClient(): WwebClient {
    if (!this.client || this.state !== 'connected') throw new DriverError('not_connected', `number is ${this.state}`);
    return this.client;
  }

  /** Destroys the client within a time limit, then kills the browser's whole process tree if it is still there. */
  protected async teardown(): Promise<void> {
    this.clearReadyWatchdog();
    this.watchers.stopLinking();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // Stopped while the library was still launching its browser (`pupBrowser` is null until then, Client.js): the
    // launch is waited for a moment, so the browser is closed before the stop returns rather than left writing to
    // the profile (a test's folder removal met it; a restart's next start would find it holding the profile).
    for (let i = 0; i < 50 && this.initializing === client && client.pupBrowser === null; i++) await sleep(100);
    const pid = client.pupBrowser?.process()?.pid;
    await withTimeout(client.destroy(), this.config.stopTimeoutMs ?? 10_000, 'destroy timed out').catch((error: unknown) => {
      this.config.logger.warn({ err: error }, 'client.destroy failed or timed out');
    });
    if (pid !== undefined && isAlive(pid)) (this.config.killProcess ?? killTree)(pid);
    else if (pid === undefined) this.reapLate(client);
  }

  /**
   * Stopped while the browser was still being launched: Puppeteer hands the browser to the client only once it
   * runs, after our destroy found nothing to close. Watch for it for a while and end it, so no browser is orphaned.
   */
  protected reapLate(client: WwebClient): void {
    const until = Date.now() + (this.config.startTimeoutMs ?? 90_000);
    const timer = setInterval(() => {
      const pid = client.pupBrowser?.process()?.pid;
      if (pid !== undefined) {
        clearInterval(timer);
        void withTimeout(client.destroy(), 3000, 'destroy timed out')
          .catch(() => undefined)
          .then(() => isAlive(pid) && (this.config.killProcess ?? killTree)(pid));
      } else if (Date.now() > until) clearInterval(timer);
    }, 250);
    timer.unref?.();
  }

  protected setState(state: NumberState, error?: DriverEvents['state']['error'], detail?: string): void {
    // Each change with what caused it: the log support reads when a number "did something on its own".
    if (state !== this.state) this.config.logger.info({ numberId: this.config.numberId, from: this.state, state, error, detail }, 'number state');
    this.state = state;
    this.emitter.emit('state', { state, ...(error ? { error } : {}), ...(detail ? { detail } : {}) });
  }

  /** A message from a contact as the app stores it (the driver reads it: text, media, LID). */
  protected abstract incomingOf(message: WwebMessage): Promise<DriverEvents['incoming'] | null>;
}
