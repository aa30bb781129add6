import { EventEmitter } from 'node:events';
import type { WwebClient, WwebClientOptions, WwebMessage } from '../../../electron/whatsapp';
import { pageError } from '../../helpers/page-error';

/**
 * Stands in for whatsapp-web.js's Client (1.34.7) against WhatsApp Web as it is served since July 2026. Each
 * behaviour names the public report or library source line it copies:
 * - `keys: 'renamed'`: message keys cross from the page without `_serialized`, with a minified own property
 *   holding it (`$1`, value ending in `_out`) — wwebjs/whatsapp-web.js#201857 (payload quoted there), #201830,
 *   wppconnect-team/wa-js#3488.
 * - `sendReturnsUndefined`: `Client.sendMessage` resolves `undefined` although the message went out — its injected
 *   `sendMessage` ends with `Msg.get(newMsgKey._serialized)` (src/util/Injected/Utils.js:585), PR #201901.
 * - LIDs: a contact moved to a LID replies from `…@lid` and acks name the LID as `remote`; `getContactLidAndPhone`
 *   maps it back (src/Client.js:3307); sending to the old `@c.us` id may fail with "No LID for user".
 * - `ban()`: the library emits `disconnected` with the state and then calls `this.destroy()` itself
 *   (src/Client.js:851-853), which closes the browser.
 * - `readyNeverComes`: `authenticated` is emitted (src/Client.js:305) before whatsapp-web.js injects its helpers and
 *   waits for them ("ready timeout", src/Client.js:342); when the page no longer matches what it injects, `ready`
 *   never follows. (Not taken from a report of its own: it is how that code fails, and what the issue describes.)
 * - `hang`: a page call (`evaluate`) that never answers.
 */
export type FakeOptions = {
  keys?: 'classic' | 'renamed';
  sendReturnsUndefined?: boolean;
  readyNeverComes?: boolean;
  /** A saved session: `initialize()` is followed by `authenticated` and `ready`, as LocalAuth restores it. */
  autoReady?: { phone: string; name: string };
  /** Receipts after delivery: `message_ack` 2 (device) then 3 (read), as whatsapp-web.js emits them. */
  acks?: boolean;
};

/** WhatsApp's side, shared by every session (client) of one number: chats, who has a LID, what was delivered. */
export class FakeWhatsApp {
  readonly delivered: { chatId: string; body: string; id: string; at: number }[] = [];
  readonly chats = new Map<string, WwebMessage[]>();
  /** Phone digits (`5215512345678`) → LID (`1234@lid`) for contacts WhatsApp moved. */
  readonly lids = new Map<string, string>();
  /**
   * Chats whose stored data is broken (July-2026 builds, a bad `lastReceivedKey`): WhatsApp Web's getChats() then
   * fails whole, and reading that chat throws, both minified as `r: r` (OpenWA 757; wwebjs 201851, 201850, 201862).
   */
  readonly brokenChats = new Set<string>();
  private counter = 0;
  now = () => Math.floor(Date.now() / 1000);

  nextId(): string {
    this.counter += 1;
    return `3EB0${this.counter.toString(16).toUpperCase().padStart(16, '0')}`;
  }

  /** The chat a message to `chatId` lands in: the contact's LID chat once WhatsApp moved them. */
  chatOf(chatId: string): string {
    const digits = chatId.replace(/@.*$/, '');
    return this.lids.get(digits) ?? chatId;
  }

  phoneOfLid(lid: string): string | undefined {
    for (const [digits, l] of this.lids) if (l === lid) return `${digits}@c.us`;
    return undefined;
  }
}

export class FakeWwebClient extends EventEmitter implements WwebClient {
  info: WwebClient['info'] = null;
  pupBrowser: { process(): { pid?: number } | null; on(event: string, fn: () => void): unknown; emitter: EventEmitter } | null = null;
  pupPage: { evaluate(fn: string): Promise<unknown> } | null = null;
  initialize: () => Promise<void> = async () => {
    if (this.fake.readyNeverComes) this.emit('authenticated');
    const ready = this.fake.autoReady;
    if (ready) {
      // As the library: initialize() returns after authentication; `ready` follows once WhatsApp Web has loaded.
      this.emit('authenticated');
      setImmediate(() => {
        this.info = { wid: { server: 'c.us', user: ready.phone.replace(/\D/g, ''), _serialized: `${ready.phone.replace(/\D/g, '')}@c.us` }, pushname: ready.name };
        this.emit('ready');
      });
    }
  };
  destroy: () => Promise<void> = async () => {
    this.pupBrowser?.emitter.emit('disconnected');
  };
  logout: () => Promise<void> = async () => undefined;
  numberIds = new Map<string, string | null>();
  getNumberIdCalls: string[] = [];
  sent: { chatId: string; content: unknown; options?: Record<string, unknown> }[] = [];
  sendImpl: ((chatId: string, content: unknown, options?: Record<string, unknown>) => Promise<WwebMessage | undefined>) | undefined;
  history: WwebMessage[] = [];
  historyError: Error | undefined;
  /** Page calls that never answer, by method name. */
  hang = new Set<string>();
  /** Whether numbers not listed in `numberIds` are on WhatsApp (as `<digits>@c.us`). */
  everyoneOnWhatsApp = false;
  shimCalls = 0;

  constructor(
    readonly options: WwebClientOptions,
    pid?: number,
    readonly server = new FakeWhatsApp(),
    readonly fake: FakeOptions = {},
  ) {
    super();
    if (pid !== undefined) {
      const emitter = new EventEmitter();
      this.pupBrowser = { process: () => ({ pid }), on: (event, fn) => emitter.on(event, fn), emitter };
    }
    this.pupPage = {
      evaluate: async (source: string) => {
        // The driver's own one-by-one listing of the Chat collection (WAWebCollections.Chat), when getChats fails.
        if (source.includes('WAWebCollections')) return this.chatRows().map(({ id, isGroup, unreadCount, timestamp }) => ({ id: id._serialized, isGroup, unreadCount, timestamp }));
        this.shimCalls += 1;
        return { build: '2.3000.1043000000', patches: [] };
      },
    };
  }

  private hangs<T>(method: string, work: () => Promise<T>): Promise<T> {
    return this.hang.has(method) ? new Promise<T>(() => undefined) : work();
  }

  async getNumberId(number: string) {
    return this.hangs('getNumberId', async () => {
      this.getNumberIdCalls.push(number);
      // WhatsApp ids of Mexican mobiles still carry the old 1 after 52 (see docs/ARCHITECTURE's note on resolve()).
      const mexican = /^52\d{10}$/.test(number) ? `521${number.slice(2)}` : number;
      const id = this.numberIds.has(number) ? this.numberIds.get(number) : this.everyoneOnWhatsApp ? `${mexican}@c.us` : null;
      return id ? { server: id.split('@')[1], user: id.split('@')[0], _serialized: id } : null;
    });
  }

  async sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>) {
    return this.hangs('sendMessage', async () => {
      this.sent.push({ chatId, content, options });
      if (this.sendImpl) return this.sendImpl(chatId, content, options);
      return this.deliver(chatId, typeof content === 'string' ? content : String(options?.caption ?? ''));
    });
  }

  /** WhatsApp takes the message: it lands in the chat (the contact's LID chat if moved) and in the record. */
  deliver(chatId: string, body: string): WwebMessage | undefined {
    const chat = this.server.chatOf(chatId);
    const id = this.server.nextId();
    const at = this.server.now();
    const msg: WwebMessage = { id: this.key(true, chat, id), body, timestamp: at, fromMe: true, from: 'me@c.us', to: chat, type: 'chat', ack: 1 };
    this.server.delivered.push({ chatId: chat, body, id, at });
    this.server.chats.set(chat, [...(this.server.chats.get(chat) ?? []), msg]);
    if (this.fake.acks) {
      for (const [ack, delay] of [[2, 1], [3, 3]] as const) {
        setTimeout(() => {
          msg.ack = Math.max(msg.ack ?? 0, ack);
          this.emit('message_ack', msg, ack);
        }, delay);
      }
    }
    return this.fake.sendReturnsUndefined ? undefined : msg;
  }

  /** A message key as the Node side receives it, in the shape of the WhatsApp Web build being faked. */
  key(fromMe: boolean, remote: string, id: string): WwebMessage['id'] {
    return this.fake.keys === 'renamed' ? { fromMe, remote, id, self: 'out', $1: `${fromMe}_${remote}_${id}_out` } : { fromMe, remote, id, _serialized: `${fromMe}_${remote}_${id}` };
  }

  /** A contact writes to this number. */
  receive(fromChat: string, body: string): WwebMessage {
    const msg: WwebMessage = { id: this.key(false, fromChat, this.server.nextId()), body, timestamp: this.server.now(), fromMe: false, from: fromChat, type: 'chat' };
    this.server.chats.set(fromChat, [...(this.server.chats.get(fromChat) ?? []), msg]);
    this.emit('message', msg);
    return msg;
  }

  async getChatById(chatId: string) {
    return this.hangs('getChatById', async () => {
      if (this.historyError) throw this.historyError;
      const chat = this.server.chatOf(chatId);
      if (this.server.brokenChats.has(chat)) throw pageError('r', 'r');
      return {
        id: { _serialized: chat },
        fetchMessages: async (opts: { limit: number; fromMe?: boolean }) => {
          const all = this.history.length > 0 ? this.history : (this.server.chats.get(chat) ?? []);
          return all.filter((m) => opts.fromMe === undefined || m.fromMe === opts.fromMe).slice(-opts.limit);
        },
      };
    });
  }

  async getChats() {
    return this.hangs('getChats', async () => {
      if (this.server.brokenChats.size > 0) throw pageError('r', 'r');
      return this.chatRows();
    });
  }

  private chatRows() {
    return [...this.server.chats.entries()].map(([chatId, messages]) => ({
        id: { _serialized: chatId },
        isGroup: chatId.endsWith('@g.us'),
        unreadCount: messages.filter((m) => !m.fromMe).length,
        timestamp: messages.at(-1)?.timestamp ?? 0,
        fetchMessages: async (opts: { limit: number }) => messages.slice(-opts.limit),
      }));
  }

  /**
   * As the library's (src/Client.js:3307 → Injected/Utils.js enforceLidAndPnRetrieval): for a LID its phone, for a
   * phone id its current LID (undefined when WhatsApp has none for it); the phone id itself comes back as `pn`.
   */
  async getContactLidAndPhone(ids: string[]) {
    return ids.map((id) =>
      id.endsWith('@lid') ? { lid: id, pn: this.server.phoneOfLid(id) } : { lid: this.server.lids.get(id.replace(/@.*$/, '')), pn: id },
    );
  }

  async requestPairingCode(phone: string) {
    return `WZ${phone.slice(-6)}`;
  }

  /** WhatsApp banned the number: as the library does, `disconnected` and then its own destroy(). */
  ban(): void {
    this.emit('change_state', 'TOS_BLOCK');
    this.emit('disconnected', 'TOS_BLOCK');
    void this.destroy();
  }
}

let counter = 0;
export function message(chatId: string, body: string, over: Partial<WwebMessage> = {}): WwebMessage & { id: { id: string; _serialized: string } } {
  counter += 1;
  return {
    id: { id: `3EB0${counter}`, _serialized: `true_${chatId}_3EB0${counter}` },
    body,
    timestamp: 1_700_000_000 + counter,
    fromMe: true,
    from: chatId,
    type: 'chat',
    ...over,
  } as WwebMessage & { id: { id: string; _serialized: string } };
}
