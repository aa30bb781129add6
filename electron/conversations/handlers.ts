import type { HandlerGroup } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { SessionManager } from '../whatsapp';
import type { Chat } from '../../shared/conversations';
import { CLOUD_WINDOW_MS, type ChatAnswers } from './answers';
import type { ConversationsRepo } from './conversations-repo';

export type ConversationsDeps = {
  repo: ConversationsRepo;
  answers: ChatAnswers;
  sessions: SessionManager;
  bus: EventBus;
  logger: Logger;
  now: () => number;
  /** Settings → Conversaciones: tell WhatsApp the user read a chat and is typing. */
  receipts: () => boolean;
  /** A conversation's label is also a tag on its contact (#35: segments can take who was labelled). */
  labelled?: (phone: string, label: string) => void;
  /** A number's kind (a Cloud one answers free text only inside Meta's 24-hour window). */
  kindOf?: (numberId: string) => string | undefined;
};

/** The chat id WhatsApp knows the person by on that number: the one they wrote from. */
function chatIdOf(deps: ConversationsDeps, phone: string): { numberId: string; chatId: string } | null {
  const conversation = deps.repo.get(phone);
  return conversation ? { numberId: conversation.numberId, chatId: deps.repo.chatIdOf(phone) ?? '' } : null;
}

export function conversationsHandlers(deps: ConversationsDeps) {
  const { repo } = deps;
  const answerFrom = (phone: string) => repo.get(phone)?.numberId ?? null;
  // From a Cloud number, the chat says whether Meta's 24-hour window is open (the composer offers a template if not).
  const chatOf = (phone: string, before: number | null): Chat => {
    const chat = repo.chat(phone, before, answerFrom(phone));
    const from = chat.answerFrom;
    if (!from || deps.kindOf?.(from) !== 'cloud') return chat;
    const lastIn = chat.conversation?.lastInAt ?? null;
    return { ...chat, cloudWindow: { numberId: from, open: lastIn !== null && lastIn >= deps.now() - CLOUD_WINDOW_MS, closesAt: lastIn === null ? null : lastIn + CLOUD_WINDOW_MS } };
  };
  return {
    'conversations.list': (filter) => ({ ...repo.list(filter), labels: repo.labels() }),
    'conversations.get': (input) => {
      const phone = repo.phoneOf(input);
      return chatOf(phone, input.before ?? null);
    },
    'conversations.open': (input) => {
      const phone = repo.phoneOf(input);
      if (repo.markRead(phone)) {
        deps.bus.emit('conversations.changed', { phone, reason: 'read' });
        const chat = chatIdOf(deps, phone);
        const driver = chat ? deps.sessions.driver(chat.numberId) : undefined;
        // Blue ticks, as WhatsApp Web sends them when a chat is opened; best effort (an offline number just cannot).
        if (chat?.chatId && driver?.markRead && deps.receipts()) {
          driver.markRead(chat.chatId).catch((error: unknown) => deps.logger.warn({ err: error }, 'read receipt not sent'));
        }
      }
      return chatOf(phone, null);
    },
    'conversations.typing': async ({ phone }) => {
      const chat = chatIdOf(deps, phone);
      const driver = chat ? deps.sessions.driver(chat.numberId) : undefined;
      if (!chat?.chatId || !driver?.typing || !deps.receipts()) return { sent: false };
      try {
        await driver.typing(chat.chatId);
        return { sent: true };
      } catch (error) {
        deps.logger.warn({ err: error }, 'typing state not sent');
        return { sent: false };
      }
    },
    'conversations.answer': (input) => {
      const phone = repo.phoneOf(input);
      const answer = deps.answers.send({ phone, clientId: input.clientId, text: input.text, templateId: input.templateId, mediaId: input.mediaId, numberId: input.numberId, waTemplate: input.waTemplate });
      if (!answer.replayed) {
        deps.bus.emit('conversations.changed', { phone, reason: 'answer' });
        deps.bus.emit('inbox.changed', { reason: 'reply' });
      }
      return answer;
    },
    'conversations.setHandled': ({ phone, handled }) => {
      const changed = repo.setHandled(phone, handled);
      deps.bus.emit('conversations.changed', { phone, reason: 'handled' });
      deps.bus.emit('inbox.changed', { reason: 'reply' });
      return { changed };
    },
    'conversations.update': ({ phone, label, note }) => {
      const before = repo.get(phone)?.label ?? null;
      const updated = repo.update(phone, { label, note });
      if (label && label !== before) deps.labelled?.(phone, label);
      deps.bus.emit('conversations.changed', { phone, reason: 'edit' });
      return updated;
    },
    'conversations.stats': () => repo.stats(deps.now()),
  } satisfies HandlerGroup;
}
