import { z } from 'zod';
import { AnswerInputSchema, AnswerSchema, ChatRefSchema, ChatSchema, ConversationFilterSchema, ConversationPhoneSchema, ConversationSchema, ConversationStatsSchema } from './conversations';
import { command } from './command-spec';

const Empty = z.object({}).strict();

/** Conversations (#33): the contract's table for them, merged into `commands`. */
export const conversationCommands = {
  'conversations.list': command(
    'The inbox as conversations (one per person who wrote), latest message first, with unread counts; filtered by waiting (sin responder), mine (answered by the user), opt_out, doubtful, campaign, number or label. No side effects.',
    ConversationFilterSchema,
    z.object({ total: z.number().int(), rows: z.array(ConversationSchema), labels: z.array(z.string()) }),
  ),
  'conversations.get': command(
    'One person\'s whole history with the business: campaign messages, test sends, API messages, answers and their replies, oldest first, with receipts and media (`before`: older messages). No side effects.',
    z.intersection(ChatRefSchema, z.object({ before: z.number().nullable().optional() })),
    ChatSchema,
  ),
  'conversations.open': command(
    'The user opened a chat: its unread count goes to zero and, when Settings allow (chatReceipts), WhatsApp is told the messages were read (blue ticks). Answers the chat as conversations.get. Pushes `conversations.changed`.',
    ChatRefSchema,
    ChatSchema,
  ),
  'conversations.typing': command(
    'The user is typing an answer: "escribiendo…" shows on the contact\'s phone for a few seconds (when Settings allow). Best effort: never an error for a number that cannot.',
    z.object({ phone: ConversationPhoneSchema }).strict(),
    z.object({ sent: z.boolean() }),
  ),
  'conversations.answer': command(
    'Answers a person from the number they wrote to (or `numberId`): text with their fields, a saved answer (`templateId`) and/or an attachment. Recorded in the outbox like any send (never twice: the same `clientId` answers the first result), it goes before queued campaign messages and counts in the number\'s 100-a-minute ceiling. Marks their messages handled. Its states reach the `conversation.answer` webhook. Errors: opted_out, not_found, no_numbers, template_invalid, missing_field, invalid_input, cloud_window_closed, cloud_media_answer, idempotency_conflict.',
    AnswerInputSchema,
    AnswerSchema,
  ),
  'conversations.setHandled': command(
    'Marks a conversation handled (all its messages) or takes it up again (its latest message). Pushes `conversations.changed`.',
    z.object({ phone: ConversationPhoneSchema, handled: z.boolean() }).strict(),
    z.object({ changed: z.number().int() }),
  ),
  'conversations.update': command(
    'Sets a conversation\'s label and/or note (null clears). Pushes `conversations.changed`. Errors: not_found.',
    z.object({ phone: ConversationPhoneSchema, label: z.string().trim().max(40).nullable().optional(), note: z.string().max(2000).nullable().optional() }).strict(),
    ConversationSchema,
  ),
  'conversations.stats': command('Conversations waiting for an answer, unread messages, and the median time to answer over 30 days. No side effects.', Empty, ConversationStatsSchema),
};
