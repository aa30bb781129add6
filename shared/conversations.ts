import { z } from 'zod';
import { CampaignIdSchema } from './campaigns';
import { MediaIdSchema, MediaViewSchema, TemplateIdSchema } from './messages';
import { NumberIdSchema } from './numbers';
/** As the dispatcher's request ids: letters, digits and ._:-, 8 to 100 (a UUID fits). */
const REQUEST_ID_RULE = /^[A-Za-z0-9._:-]{8,100}$/;

/**
 * A conversation is one person who wrote, keyed by their phone (E.164), as opt-outs are — or, for someone who
 * wrote to a Cloud number hiding their phone behind a username, by their business-scoped user id (`MX.1502…`).
 */
export const ConversationPhoneSchema = z.string().regex(/^(\+\d{6,16}|[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128})$/, 'a phone in E.164 (+521…)');

/** A contact known only by their business-scoped user id: no phone to show or to write to outside WhatsApp. */
export function isPhoneless(phone: string): boolean {
  return !phone.startsWith('+');
}

export const CONVERSATION_SHOWS = ['all', 'waiting', 'mine', 'opt_out', 'doubtful', 'in_doubt'] as const;

export const ConversationFilterSchema = z
  .object({
    /** waiting: sin responder (a message nobody answered or marked handled); mine: ones the user answered by hand; doubtful: a reply that may be an opt-out; in_doubt: a message to them that may or may not have gone (to check on the phone). */
    show: z.enum(CONVERSATION_SHOWS).default('all'),
    campaignId: CampaignIdSchema.nullable().optional(),
    numberId: NumberIdSchema.nullable().optional(),
    label: z.string().max(40).nullable().optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();

export const ConversationSchema = z.object({
  phone: z.string(),
  contactId: z.number().int().nullable(),
  name: z.string().nullable(),
  numberId: z.string(),
  numberLabel: z.string().nullable(),
  campaignId: z.number().int().nullable(),
  campaignName: z.string().nullable(),
  lastAt: z.number(),
  lastInAt: z.number(),
  lastOutAt: z.number().nullable(),
  preview: z.string(),
  /** WhatsApp's type of the last message (chat, image, audio, document…; media: an answer with an attachment). */
  previewType: z.string(),
  previewOut: z.boolean(),
  unread: z.number().int(),
  /** Messages nobody answered or marked handled yet. */
  waiting: z.boolean(),
  mine: z.boolean(),
  optedOut: z.boolean(),
  /** The opt-out matcher's rule for a reply waiting for the user's decision (and its id), else null. */
  doubt: z.string().nullable(),
  doubtReplyId: z.number().int().nullable(),
  label: z.string().nullable(),
  note: z.string().nullable(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const CHAT_ITEM_KINDS = ['in', 'campaign', 'api', 'answer', 'auto', 'test'] as const;

/** One message of a chat, in either direction, as WhatsApp shows it. */
export const ChatItemSchema = z.object({
  /** `in:<id>` for theirs, `send:<id>` or `test:<id>` for ours: unique within the chat. */
  key: z.string(),
  kind: z.enum(CHAT_ITEM_KINDS),
  at: z.number(),
  text: z.string(),
  /** WhatsApp's type for theirs (chat, image, audio, ptt, document…); 'chat' for ours. */
  type: z.string(),
  media: MediaViewSchema.nullable(),
  /** Ours: the outbox's state (queued … read, failed, skipped, in doubt); theirs: null. */
  state: z.string().nullable(),
  reason: z.string().nullable(),
  numberId: z.string().nullable(),
  numberLabel: z.string().nullable(),
  campaignId: z.number().int().nullable(),
  campaignName: z.string().nullable(),
  /** Theirs: an opt-out, or the matcher's rule while it waits for the user's decision. */
  optOut: z.boolean(),
  doubt: z.string().nullable(),
  /** Theirs: the reply's id (for inbox.decide / setHandled). */
  replyId: z.number().int().nullable(),
});
export type ChatItem = z.infer<typeof ChatItemSchema>;

export const ChatSchema = z.object({
  conversation: ConversationSchema.nullable(),
  phone: z.string(),
  contactId: z.number().int().nullable(),
  name: z.string().nullable(),
  /** The contact's fields, for the composer's {{field}}. */
  fields: z.record(z.string(), z.string()),
  optedOut: z.boolean(),
  /** The number an answer would go from (the one they last wrote to, else the last that wrote to them), null if none. */
  answerFrom: z.string().nullable(),
  /**
   * When that number is a Cloud API one: Meta's 24-hour customer service window (free text only while it is open;
   * after it, an approved template). Null for a linked phone.
   */
  cloudWindow: z.object({ numberId: z.string(), open: z.boolean(), closesAt: z.number().nullable() }).nullable(),
  /** They tapped "Stop promotions": no marketing campaign reaches them; answers still do. */
  noPromotions: z.boolean(),
  /** Their WhatsApp username, when they wrote to a Cloud number with one. */
  username: z.string().nullable(),
  /** The most recent messages, oldest first (`more`: older ones exist). */
  items: z.array(ChatItemSchema),
  more: z.boolean(),
});
export type Chat = z.infer<typeof ChatSchema>;

export const ChatRefSchema = z.union([z.object({ phone: ConversationPhoneSchema }).strict(), z.object({ contactId: z.number().int().positive() }).strict()]);

export const AnswerInputSchema = z
  .object({
    phone: ConversationPhoneSchema.optional(),
    contactId: z.number().int().positive().optional(),
    /** The composer's own id for this answer: the same id again answers the first result, never a second message. */
    clientId: z.string().regex(REQUEST_ID_RULE),
    text: z.string().max(4096).default(''),
    /** A saved answer instead of text (its body and attachment). */
    templateId: TemplateIdSchema.optional(),
    mediaId: MediaIdSchema.nullable().optional(),
    /** Another of the user's numbers than the one the contact wrote to. */
    numberId: NumberIdSchema.optional(),
    /** From a Cloud number after the 24-hour window: an approved template and a value for each of its {{n}}. */
    waTemplate: z.object({ templateId: z.number().int().positive(), values: z.array(z.string().trim().min(1).max(1024)).max(20) }).strict().optional(),
  })
  .strict()
  .refine((v) => (v.phone === undefined) !== (v.contactId === undefined), { message: 'phone or contactId, one of them', path: ['phone'] });

export const AnswerSchema = z.object({
  id: z.number().int(),
  clientId: z.string(),
  sendId: z.number().int(),
  phone: z.string(),
  numberId: z.string(),
  state: z.string(),
  text: z.string(),
  createdAt: z.number(),
  /** The same clientId was sent before: this is the first answer, nothing new was sent. */
  replayed: z.boolean(),
});
export type Answer = z.infer<typeof AnswerSchema>;

export { AUTO_REPLY_RULES, AutoRepliesSchema, KeywordAnswerSchema, type AutoReplies } from './auto-replies';

export const ConversationStatsSchema = z.object({
  /** Conversations with a message nobody answered or marked handled. */
  waiting: z.number().int(),
  unread: z.number().int(),
  /** Median time from a contact's message to the user's answer, over the last 30 days (null: no answers yet). */
  medianAnswerMs: z.number().nullable(),
});
