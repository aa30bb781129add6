import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { RawMessageKey } from './message-key';

/** The part of a whatsapp-web.js Message we read; `id` in any of the shapes `readMessageKey` knows. */
export type WwebMessage = {
  id: RawMessageKey;
  body: string;
  timestamp: number;
  fromMe: boolean;
  from: unknown;
  to?: unknown;
  type: string;
  ack?: number;
  hasMedia?: boolean;
  /** whatsapp-web.js's MessageMedia: base64 data, its type, the sender's file name. */
  downloadMedia?(): Promise<{ data: string; mimetype: string; filename?: string | null } | null | undefined>;
};

export type WwebChat = {
  id: unknown;
  isGroup?: boolean;
  unreadCount?: number;
  timestamp?: number;
  fetchMessages(opts: { limit: number; fromMe?: boolean }): Promise<WwebMessage[]>;
  sendStateTyping?(): Promise<unknown>;
};

/** The part of whatsapp-web.js's Client we use; tests pass a fake with the same events and methods. */
export type WwebClient = {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  logout(): Promise<void>;
  getNumberId(number: string): Promise<unknown>;
  /** Resolves `undefined` on WhatsApp Web builds that renamed `_serialized` (wwebjs/whatsapp-web.js#201857). */
  sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>): Promise<WwebMessage | undefined>;
  getChatById(chatId: string): Promise<WwebChat>;
  getChats(): Promise<WwebChat[]>;
  getContactLidAndPhone?(userIds: string[]): Promise<{ lid?: string; pn?: string }[]>;
  sendSeen?(chatId: string): Promise<unknown>;
  requestPairingCode?(phoneNumber: string, showNotification?: boolean): Promise<string>;
  info?: { wid?: unknown; pushname?: string } | null;
  pupBrowser?: { process(): { pid?: number } | null; on?(event: string, listener: () => void): unknown; connected?: boolean } | null;
  pupPage?: {
    evaluate(fn: string): Promise<unknown>;
    on?(event: 'framenavigated', listener: (frame: { parentFrame?(): unknown }) => void): unknown;
    exposeFunction?(name: string, fn: (...args: never[]) => unknown): Promise<void>;
    evaluateOnNewDocument?(source: string): Promise<unknown>;
  } | null;
};

export type WwebClientOptions = {
  numberId: string;
  sessionsDir: string;
  cacheDir: string;
  executablePath: string;
  args: string[];
  /** False: the browser's window is shown (to complete a passkey with the browser's own prompt). */
  headless: boolean;
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
  /** The browser's window is shown (for a passkey WhatsApp asks for while linking); else it runs unseen. */
  visible?: boolean;
  createClient?: (opts: WwebClientOptions) => Promise<WwebClient>;
  createMedia?: (file: string, mimeType: string, fileName: string) => Promise<unknown>;
  killProcess?: (pid: number) => void;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** How long `ready` may take after WhatsApp Web authenticated before the session is restarted. */
  readyTimeoutMs?: number;
  /** The limit on every call into the page (send, lookups, history): a hung `evaluate` never stalls a lane. */
  callTimeoutMs?: number;
  /** More browser switches (tests map web.whatsapp.com to a local server that refuses or hangs). */
  extraBrowserArgs?: string[];
};
