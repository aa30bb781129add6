import type { WaLimits } from '../../shared/wa-limits';
import { NumberErrorSchema, NumberStateSchema } from '../../shared/numbers';

/** The one WhatsApp interface the rest of the app knows; one instance per linked number. */

export type MediaKind = 'image' | 'audio' | 'voice' | 'video' | 'document' | 'sticker';

export type OutgoingMessage = {
  text: string;
  media?: { path: string; mimeType: string; fileName: string; kind: MediaKind };
  /**
   * Cloud API numbers send only approved templates: its name and language, the parameters for this contact, and
   * the app's own id for the send (Meta returns it in every status, so a crash can find what went out).
   */
  template?: {
    name: string;
    language: string;
    params: string[];
    header: 'none' | 'text' | 'image' | 'video' | 'document';
    callback: string;
    /** Values of the buttons that take one (a link's end, a code to copy, a quick reply's payload), by position. */
    buttons?: { index: number; kind: 'url' | 'copy_code' | 'quick_reply'; value: string }[];
    /** A carousel's media, one file per card in order. */
    cards?: { path: string; mimeType: string; fileName: string; kind: MediaKind }[];
  };
};

/** How `findSent` recognises a message we may have sent before a crash: its text, sent no earlier than `after`. */
export type SendMarker = { text: string; after: number; sendId?: number };
/** A message findSent found: its id, and the chat it is really in (a LID one, when WhatsApp moved the contact). */
export type FoundMessage = { messageId: string; chatId?: string };

/** Our states for a number and why one is in error: the contract's own lists (shared/numbers.ts). */
export const NUMBER_STATES = NumberStateSchema.options;
export type NumberState = (typeof NUMBER_STATES)[number];
export const DRIVER_ERROR_CODES = NumberErrorSchema.options;
export type DriverErrorCode = (typeof DRIVER_ERROR_CODES)[number];

/** A received file, as WhatsApp gives it: the bytes, their type and the sender's file name if any. */
export type IncomingMedia = { data: Buffer; mimeType: string; fileName: string | null };

/** A message we sent, as the outbox knows it: the chat it went to and the id the driver gave it. */
export type SentRef = { chatId: string; messageId: string };

export type AckState = 'error' | 'pending' | 'sent' | 'delivered' | 'read' | 'played';

export type DriverEvents = {
  qr: { qr: string };
  ready: { phone: string; name: string | null };
  state: { state: NumberState; error?: DriverErrorCode; detail?: string };
  disconnected: { reason: 'logout' | 'conflict' | 'unpaired' | 'banned' | 'network' | 'other'; raw: string };
  /** `reason`: why an `error` receipt failed, when the driver knows (the Cloud API's status webhooks say). */
  ack: { messageId: string; ack: AckState; at: number; reason?: DriverErrorCode };
  /** `phone`: the sender's E.164 when the driver knows it (a LID chat resolved through WhatsApp), else absent. */
  /** `media`: it carries a file (photo, audio, document…) that `downloadMedia` fetches. */
  incoming: {
    messageId: string;
    chatId: string;
    body: string;
    type: string;
    at: number;
    phone?: string | null;
    media?: boolean;
    /** A button of ours tapped (a template's quick reply): its payload, when Meta gave one. */
    tap?: { payload: string | null };
  };
  /** The 8-character code to type on the phone, when linking by phone number instead of a QR. */
  pairingCode: { code: string };
  /** WhatsApp told which phone a LID chat belongs to. */
  lid: { lid: string; phone: string };
  /** WhatsApp Web says the account's limits on new people changed (its capping state-change event). */
  limits: Record<string, never>;
};
export type DriverEventName = keyof DriverEvents;
export type Unsubscribe = () => void;

export class DriverError extends Error {
  constructor(
    readonly code: DriverErrorCode,
    message: string,
    /** For send failures: false when the driver knows the message did not go out, so a retry is safe. */
    readonly maybeSent = false,
  ) {
    super(message);
    this.name = 'DriverError';
  }
}

export interface WhatsAppDriver {
  /** Emits `qr` until linked, then `ready`; resolves once the session is ready or waiting for a scan. */
  start(): Promise<void>;
  /** The chat id WhatsApp uses for this E.164 number, or null when it is not on WhatsApp. */
  resolve(e164: string): Promise<string | null>;
  /** `chatId` in the answer: the chat it really went to, when WhatsApp moved the contact (a LID). */
  send(chatId: string, content: OutgoingMessage): Promise<{ messageId: string; at: number; chatId?: string }>;
  /** Crash recovery: the id of a message matching the marker in that chat, null if none; throws when it cannot tell. */
  findSent(chatId: string, marker: SendMarker): Promise<FoundMessage | null>;
  /**
   * Catch-up after a restart or reconnection: the receipt WhatsApp holds now for each of these messages (ids it
   * does not know are left out), so rows sent just before a stop do not stay `sent` forever.
   */
  ackStates(messages: SentRef[]): Promise<Map<string, AckState>>;
  /** Catch-up: messages received in direct chats after `since` (replies and opt-outs sent while the app was closed). */
  recentIncoming(since: number): Promise<DriverEvents['incoming'][]>;
  /**
   * Direct chats the last `recentIncoming` could not read (WhatsApp Web returned nothing for them, or threw): what
   * they hold is unknown, an opt-out maybe, so nothing is sent to them until a later catch-up reads them. Chat ids,
   * and the contact's phone (E.164) where the driver knows it.
   */
  unreadChats?(): string[];
  /** Linking by phone number instead of a QR (while the QR shows): the code to type on the phone. */
  requestPairingCode?(e164: string): Promise<string>;
  /** Unlinks the device: the session is gone, a new QR is needed. */
  logout(): Promise<void>;
  /** Stops the session, keeping it for the next start; never leaves a browser behind. */
  stop(): Promise<void>;
  /** WhatsApp's own limits on reaching new people, as it states them now (drivers that can read them). */
  limits?(): Promise<WaLimits>;
  /** The file of a received message (`incoming.media`), null when WhatsApp no longer has it. */
  downloadMedia?(ref: { chatId: string; messageId: string }): Promise<IncomingMedia | null>;
  /** The user opened the chat: its messages are marked read on WhatsApp (blue ticks), as WhatsApp Web does. */
  markRead?(chatId: string): Promise<void>;
  /** The user is typing an answer: "escribiendo…" shows on the contact's phone for a few seconds. */
  typing?(chatId: string): Promise<void>;
  /** WhatsApp Web's own version as the page reported it (diagnostics), null while unknown. */
  webVersion?(): string | null;
  on<E extends DriverEventName>(event: E, listener: (payload: DriverEvents[E]) => void): Unsubscribe;
}

/** A tiny typed emitter the drivers share. */
export class DriverEmitter {
  private listeners = new Map<DriverEventName, Set<(payload: never) => void>>();

  on<E extends DriverEventName>(event: E, listener: (payload: DriverEvents[E]) => void): Unsubscribe {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends DriverEventName>(event: E, payload: DriverEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: DriverEvents[E]) => void)(payload);
  }
}
