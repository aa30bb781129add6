import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { findBrowser } from './browser-finder';
import {
  DriverEmitter,
  DriverError,
  type DriverEventName,
  type DriverEvents,
  type NumberState,
  type OutgoingMessage,
  type SendMarker,
  type Unsubscribe,
  type WhatsAppDriver,
} from './driver';
import { classifyStartError, isCrash, isNoLid, mapAck, mapDisconnect, mapWaState } from './wwebjs-mapping';

/** The part of a whatsapp-web.js Message we read. */
export type WwebMessage = {
  id: { id: string; _serialized: string };
  body: string;
  timestamp: number;
  fromMe: boolean;
  from: string;
  type: string;
};

/** The part of whatsapp-web.js's Client we use; tests pass a fake with the same events and methods. */
export type WwebClient = {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  logout(): Promise<void>;
  getNumberId(number: string): Promise<{ _serialized: string } | null>;
  sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>): Promise<WwebMessage>;
  getChatById(chatId: string): Promise<{ fetchMessages(opts: { limit: number; fromMe?: boolean }): Promise<WwebMessage[]> }>;
  info?: { wid?: { user?: string }; pushname?: string } | null;
  pupBrowser?: { process(): { pid?: number } | null; on?(event: string, listener: () => void): unknown } | null;
};

export type WwebClientOptions = {
  numberId: string;
  sessionsDir: string;
  cacheDir: string;
  executablePath: string;
  args: string[];
};

export type WwebDriverConfig = {
  numberId: string;
  /** `<data>/sessions`: LocalAuth keeps `session-<numberId>/` here. */
  sessionsDir: string;
  /** `<data>/wwebjs-cache`: the WhatsApp Web version cache. */
  cacheDir: string;
  clock: Clock;
  logger: Logger;
  browserPath?: () => string | null;
  createClient?: (opts: WwebClientOptions) => Promise<WwebClient>;
  createMedia?: (file: string) => Promise<unknown>;
  killProcess?: (pid: number) => void;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
};

/** The real driver: WhatsApp Web in a headless Chrome/Edge/Chromium already on the user's machine. */
export class WwebDriver implements WhatsAppDriver {
  private emitter = new DriverEmitter();
  private client: WwebClient | undefined;
  private stopping = false;
  private chatIds = new Map<string, string>();
  private state: NumberState = 'stopped';

  constructor(private readonly config: WwebDriverConfig) {}

  on<E extends DriverEventName>(event: E, listener: (payload: DriverEvents[E]) => void): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.setState('connecting');
    const executablePath = (this.config.browserPath ?? (() => findBrowser()))();
    if (!executablePath) {
      this.setState('error', 'browser_not_found');
      throw new DriverError('browser_not_found', 'no Chrome, Edge or Chromium found');
    }
    const client = await (this.config.createClient ?? createRealClient)({
      numberId: this.config.numberId,
      sessionsDir: this.config.sessionsDir,
      cacheDir: this.config.cacheDir,
      executablePath,
      args: browserArgs(),
    });
    this.client = client;
    this.wire(client);
    const timeoutMs = this.config.startTimeoutMs ?? 90_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.initialize(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new DriverError('timeout', `WhatsApp Web did not open within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      const code = error instanceof DriverError ? error.code : classifyStartError(error);
      this.config.logger.warn({ numberId: this.config.numberId, err: error, code }, 'WhatsApp Web failed to start');
      await this.teardown();
      this.setState('error', code, error instanceof Error ? error.message : String(error));
      throw new DriverError(code, error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
    this.watchBrowser(client);
  }

  async resolve(e164: string): Promise<string | null> {
    const cached = this.chatIds.get(e164);
    if (cached) return cached;
    const client = this.connectedClient();
    const wid = await this.guard(() => client.getNumberId(e164.replace(/\D/g, '')));
    if (!wid) return null;
    this.chatIds.set(e164, wid._serialized);
    return wid._serialized;
  }

  async send(chatId: string, content: OutgoingMessage): Promise<{ messageId: string; at: number }> {
    const client = this.connectedClient();
    const payload = content.media ? await (this.config.createMedia ?? createRealMedia)(content.media.path) : content.text;
    const options: Record<string, unknown> = { sendSeen: false };
    if (content.media) {
      options.caption = content.text;
      if (content.media.kind === 'voice') options.sendAudioAsVoice = true;
      if (content.media.kind === 'document') options.sendMediaAsDocument = true;
    }
    let message: WwebMessage;
    try {
      message = await client.sendMessage(chatId, payload, options);
    } catch (error) {
      if (!isNoLid(error)) throw this.sendError(error);
      // WhatsApp moved this contact to a LID: ask again for the id once, then retry with it.
      const fresh = await this.reResolve(chatId);
      if (!fresh) throw new DriverError('not_on_whatsapp', 'no LID for user after re-resolving', false);
      try {
        message = await client.sendMessage(fresh, payload, options);
      } catch (retryError) {
        throw this.sendError(retryError);
      }
    }
    return { messageId: message.id._serialized, at: message.timestamp * 1000 };
  }

  async findSent(chatId: string, marker: SendMarker): Promise<string | null> {
    const client = this.connectedClient();
    try {
      const chat = await client.getChatById(chatId);
      const recent = await chat.fetchMessages({ limit: 50, fromMe: true });
      // WhatsApp timestamps are whole seconds and the phone's clock may drift: allow a little slack.
      const found = recent.find((m) => m.fromMe && m.body === marker.text && m.timestamp * 1000 >= marker.after - 5000);
      return found ? found.id._serialized : null;
    } catch (error) {
      throw new DriverError('unknown', `could not read the chat: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async logout(): Promise<void> {
    const client = this.client;
    this.stopping = true;
    if (client) {
      await withTimeout(client.logout(), this.config.stopTimeoutMs ?? 10_000).catch((error: unknown) => {
        this.config.logger.warn({ err: error }, 'logout failed; removing the session anyway');
      });
    }
    await this.teardown();
    fs.rmSync(path.join(this.config.sessionsDir, `session-${this.config.numberId}`), { recursive: true, force: true });
    this.setState('logged_out');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.teardown();
    this.setState('stopped');
  }

  private wire(client: WwebClient): void {
    // whatsapp-web.js events carry untyped arguments; each listener below states what the library sends.
    const on = <A extends unknown[]>(event: string, listener: (...args: A) => void) =>
      client.on(event, listener as (...args: unknown[]) => void);
    on('qr', (qr: string) => {
      this.setState('qr');
      this.emitter.emit('qr', { qr });
    });
    on('authenticated', () => this.setState('connecting'));
    on('auth_failure', (message: string) => this.setState('logged_out', undefined, String(message)));
    on('ready', () => {
      const user = client.info?.wid?.user;
      this.setState('connected');
      this.emitter.emit('ready', { phone: user ? `+${user}` : '', name: client.info?.pushname ?? null });
    });
    on('change_state', (raw: string) => {
      const mapped = mapWaState(raw);
      this.setState(mapped.state, mapped.error, raw);
    });
    on('disconnected', (raw: string) => {
      const mapped = mapDisconnect(String(raw));
      this.setState(mapped.state, mapped.state === 'error' ? 'unknown' : undefined, String(raw));
      this.emitter.emit('disconnected', mapped.event);
    });
    on('message_ack', (message: WwebMessage, ack: number) => {
      this.emitter.emit('ack', { messageId: message.id._serialized, ack: mapAck(ack), at: this.config.clock.now() });
    });
    on('message', (message: WwebMessage) => {
      if (message.fromMe || !/@(c\.us|lid)$/.test(message.from)) return; // groups, status and channels are not replies
      this.emitter.emit('incoming', {
        messageId: message.id._serialized,
        chatId: message.from,
        body: message.body,
        type: message.type,
        at: message.timestamp * 1000,
      });
    });
  }

  /** Once the browser runs, its crash (not a stop of ours) is reported so the manager restarts the session. */
  private watchBrowser(client: WwebClient): void {
    client.pupBrowser?.on?.('disconnected', () => {
      if (!this.stopping) this.setState('error', 'crashed', 'the browser closed unexpectedly');
    });
  }

  private async reResolve(chatId: string): Promise<string | null> {
    for (const [e164, id] of this.chatIds) if (id === chatId) this.chatIds.delete(e164);
    const digits = chatId.replace(/@.*$/, '');
    const wid = await this.connectedClient().getNumberId(digits);
    return wid?._serialized ?? null;
  }

  private sendError(error: unknown): DriverError {
    if (error instanceof DriverError) return error;
    if (isCrash(error)) this.setState('error', 'crashed', error instanceof Error ? error.message : String(error));
    // An error thrown by sendMessage may come after the message went out: never retry without findSent.
    return new DriverError('send_failed', error instanceof Error ? error.message : String(error), true);
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isCrash(error)) this.setState('error', 'crashed', error instanceof Error ? error.message : String(error));
      throw new DriverError(isCrash(error) ? 'crashed' : 'unknown', error instanceof Error ? error.message : String(error));
    }
  }

  private connectedClient(): WwebClient {
    if (!this.client || this.state !== 'connected') throw new DriverError('not_connected', `number is ${this.state}`);
    return this.client;
  }

  /** Destroys the client within a time limit, then kills the browser process if it is still there. */
  private async teardown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    const pid = client.pupBrowser?.process()?.pid;
    await withTimeout(client.destroy(), this.config.stopTimeoutMs ?? 10_000).catch((error: unknown) => {
      this.config.logger.warn({ err: error }, 'client.destroy failed or timed out');
    });
    if (pid !== undefined && isAlive(pid)) (this.config.killProcess ?? killTree)(pid);
  }

  private setState(state: NumberState, error?: DriverEvents['state']['error'], detail?: string): void {
    this.state = state;
    this.emitter.emit('state', { state, ...(error ? { error } : {}), ...(detail ? { detail } : {}) });
  }
}

function browserArgs(): string[] {
  const args = ['--disable-gpu', '--no-first-run', '--disable-dev-shm-usage', '--disable-extensions'];
  // Chromium refuses to run as root without it (Linux servers, containers).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

async function createRealClient(opts: WwebClientOptions): Promise<WwebClient> {
  const wweb = (await import('whatsapp-web.js')).default;
  const client = new wweb.Client({
    authStrategy: new wweb.LocalAuth({ clientId: opts.numberId, dataPath: opts.sessionsDir }),
    webVersionCache: { type: 'local', path: opts.cacheDir },
    puppeteer: { executablePath: opts.executablePath, headless: true, args: opts.args },
  });
  return client as unknown as WwebClient;
}

async function createRealMedia(file: string): Promise<unknown> {
  const wweb = (await import('whatsapp-web.js')).default;
  return wweb.MessageMedia.fromFilePath(file);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new DriverError('timeout', `timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killTree(pid: number): void {
  try {
    // Puppeteer starts Chromium as a process-group leader on POSIX: kill its helpers too.
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
