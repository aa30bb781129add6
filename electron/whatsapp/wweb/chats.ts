import type { Logger } from '../../core/logger';
import { DriverError } from '../driver';
import type { WwebClient, WwebMessage } from './client-types';
import { isCrash } from '../wwebjs-mapping';
import { widText } from './message-key';

/** A call into the page with the driver's time limit and error mapping (WwebDriver's own `call`). */
export type PageCall = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

/** A direct chat as the catch-up needs it. */
export type ChatRow = { id: string; isGroup: boolean; timestamp: number; unreadCount: number };

/**
 * Lists the direct chats from WhatsApp Web's Chat collection, each chat read in its own try, so one broken chat
 * cannot hide the others (the module whatsapp-web.js's own getChats reads: `WAWebCollections`.Chat).
 */
const CHATS_ONE_BY_ONE = `(() => {
  const chats = window.require('WAWebCollections').Chat.getModelsArray();
  const out = [];
  for (const chat of chats) {
    try {
      const id = chat.id && (chat.id._serialized || String(chat.id));
      if (id) out.push({ id, isGroup: !!chat.isGroup, timestamp: chat.t || 0, unreadCount: chat.unreadCount || 0 });
    } catch (e) {}
  }
  return out;
})()`;

/**
 * The chats and their unread counts. `getChats()` fails whole when one chat's data is broken (July-2026 builds, a bad
 * `lastReceivedKey`: IndexedDB DataError thrown minified as `r: r` — OpenWA 757, wwebjs 201851): then the chat list is
 * read from WhatsApp Web's Chat collection one chat at a time, each in its own try.
 */
export async function chatList(client: WwebClient, call: PageCall, logger: Logger): Promise<ChatRow[]> {
  try {
    const chats = await call('recentIncoming', () => client.getChats());
    return chats.flatMap((chat) => {
      const id = widText(chat.id);
      return id ? [{ id, isGroup: chat.isGroup === true, timestamp: chat.timestamp ?? 0, unreadCount: chat.unreadCount ?? 0 }] : [];
    });
  } catch (error) {
    // Not connected, crashed or hung: that is the number's state, not one chat's. Anything else is read around.
    if ((error instanceof DriverError && error.code !== 'unknown') || isCrash(error) || !client.pupPage) throw error;
    logger.warn({ err: error }, 'getChats failed: reading the chats one by one');
    const listed = await call('recentIncoming', () => client.pupPage!.evaluate(CHATS_ONE_BY_ONE));
    return Array.isArray(listed) ? (listed as ChatRow[]) : [];
  }
}

/** One chat's messages, or null when WhatsApp Web cannot give that chat now (undefined, no LID, or a throw). */
export async function chatMessages(client: WwebClient, call: PageCall, logger: Logger, chatId: string, opts: { limit: number; fromMe?: boolean }): Promise<WwebMessage[] | null> {
  try {
    return await call('chat', async () => {
      const chat = await client.getChatById(chatId);
      if (!chat) throw new Error(`no chat ${chatId}`);
      return chat.fetchMessages(opts);
    });
  } catch (error) {
    if ((error instanceof DriverError && error.code === 'not_connected') || isCrash(error)) throw error;
    logger.warn({ err: error, chatId }, 'a chat could not be read');
    return null;
  }
}
