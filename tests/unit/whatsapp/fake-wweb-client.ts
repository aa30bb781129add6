import { EventEmitter } from 'node:events';
import type { WwebClient, WwebClientOptions, WwebMessage } from '../../../electron/whatsapp';

/** Stands in for whatsapp-web.js's Client: the same event names and methods, driven by the test. */
export class FakeWwebClient extends EventEmitter implements WwebClient {
  info: WwebClient['info'] = null;
  pupBrowser: { process(): { pid?: number } | null; on(event: string, fn: () => void): unknown; emitter: EventEmitter } | null = null;
  initialize: () => Promise<void> = async () => undefined;
  destroy: () => Promise<void> = async () => undefined;
  logout: () => Promise<void> = async () => undefined;
  numberIds = new Map<string, string | null>();
  getNumberIdCalls: string[] = [];
  sent: { chatId: string; content: unknown; options?: Record<string, unknown> }[] = [];
  sendImpl: (chatId: string, content: unknown) => Promise<WwebMessage> = async (chatId, content) => message(chatId, String(content));
  history: WwebMessage[] = [];
  historyError: Error | undefined;

  constructor(readonly options: WwebClientOptions, pid?: number) {
    super();
    if (pid !== undefined) {
      const emitter = new EventEmitter();
      this.pupBrowser = { process: () => ({ pid }), on: (event, fn) => emitter.on(event, fn), emitter };
    }
  }

  async getNumberId(number: string) {
    this.getNumberIdCalls.push(number);
    const id = this.numberIds.get(number);
    return id ? { _serialized: id } : null;
  }

  async sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>) {
    this.sent.push({ chatId, content, options });
    return this.sendImpl(chatId, content);
  }

  async getChatById() {
    if (this.historyError) throw this.historyError;
    return { fetchMessages: async () => this.history };
  }
}

let counter = 0;
export function message(chatId: string, body: string, over: Partial<WwebMessage> = {}): WwebMessage {
  counter += 1;
  return {
    id: { id: `3EB0${counter}`, _serialized: `true_${chatId}_3EB0${counter}` },
    body,
    timestamp: 1_700_000_000 + counter,
    fromMe: true,
    from: chatId,
    type: 'chat',
    ...over,
  };
}
