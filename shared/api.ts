import { z } from 'zod';
import { ContactIdSchema } from './contacts';
import { BodySchema, MediaIdSchema, TemplateIdSchema } from './messages';
import { NumberIdSchema } from './numbers';

/** What a message sent from the user's own systems (the automation API) can be, as its status says. */
export const API_SEND_STATES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed'] as const;
export const ApiSendStateSchema = z.enum(API_SEND_STATES);

/**
 * The key that makes a request safe to repeat: the same key never sends twice (across restarts too) and is
 * answered with the first request's message. Any text the caller's system already has (an order id, a UUID).
 */
export const IdempotencyKeySchema = z.string().trim().min(1).max(200);

export const ApiSendInputSchema = z
  .object({
    idempotencyKey: IdempotencyKeySchema,
    /** A contact of the app, or a phone (local formats as in imports; the default country of Settings). */
    contactId: ContactIdSchema.optional(),
    phone: z.string().trim().min(5).max(40).optional(),
    /** A saved message, or the text itself; both may use {{nombre}}, {{telefono}} and the contact's fields. */
    templateId: TemplateIdSchema.optional(),
    text: BodySchema.optional(),
    /** Values for fields of this message only (an order number, a date): they win over the contact's own. */
    fields: z.record(z.string().max(100), z.string().max(1000)).optional(),
    /** An attachment already uploaded (`/api/upload` + `media.add`), or an https link the app downloads. */
    mediaId: MediaIdSchema.optional(),
    mediaUrl: z.string().url().max(2000).optional(),
    /** The number to send from; by default any linked number (the one that wrote to this contact before, if any). */
    numberId: NumberIdSchema.optional(),
  })
  .strict()
  .refine((v) => (v.contactId === undefined) !== (v.phone === undefined), { message: 'give contactId or phone (one of them)', path: ['phone'] })
  .refine((v) => (v.templateId === undefined) !== (v.text === undefined), { message: 'give templateId or text (one of them)', path: ['text'] })
  .refine((v) => !(v.mediaId && v.mediaUrl), { message: 'give mediaId or mediaUrl, not both', path: ['mediaUrl'] });
export type ApiSendInput = z.infer<typeof ApiSendInputSchema>;

export const ApiMessageSchema = z.object({
  /** The message's id in the app, for `messages.status`. */
  id: z.number().int(),
  idempotencyKey: z.string(),
  state: ApiSendStateSchema,
  /** Why it failed, or why it waits (`in_doubt`: the app cannot tell whether it went; it is never resent by itself). */
  reason: z.string().nullable(),
  phone: z.string(),
  contactId: z.number().int(),
  numberId: z.string().nullable(),
  text: z.string(),
  hasMedia: z.boolean(),
  /** When it is expected to go, while queued (the pace, the daily cap and the month's budget decide); null when unknown. */
  expectedAt: z.number().nullable(),
  createdAt: z.number(),
  sentAt: z.number().nullable(),
  deliveredAt: z.number().nullable(),
  readAt: z.number().nullable(),
  /** WhatsApp's id of the message once sent. */
  messageId: z.string().nullable(),
  /** True when this answer is the first result of an earlier request with the same key (nothing was sent again). */
  replayed: z.boolean(),
});
export type ApiMessage = z.infer<typeof ApiMessageSchema>;

/** Up to 500 messages; a malformed one refuses the whole batch before anything is written, while a refusal of one
 * (opted out, unknown contact) is said in its item and the others go on. */
export const ApiBatchInputSchema = z.object({ messages: z.array(ApiSendInputSchema).min(1).max(500) }).strict();

/** One item of a batch: its message, or why it was refused (the others go on). */
export const ApiBatchItemSchema = z.object({
  index: z.number().int(),
  ok: z.boolean(),
  message: ApiMessageSchema.optional(),
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }).optional(),
});

export const ApiListInputSchema = z
  .object({ state: ApiSendStateSchema.optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) })
  .strict();

/** What an API key may do: send and read statuses only, or every command. */
export const API_SCOPES = ['send', 'all'] as const;
export const ApiScopeSchema = z.enum(API_SCOPES);

export const ApiKeySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  scope: ApiScopeSchema,
  /** The key's first characters, to tell keys apart; the key itself is shown once, when it is made. */
  prefix: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const ApiRequestLogSchema = z.object({
  at: z.number(),
  keyName: z.string().nullable(),
  command: z.string(),
  status: z.number().int(),
  code: z.string().nullable(),
  ms: z.number(),
});
export type ApiRequestLog = z.infer<typeof ApiRequestLogSchema>;

/** What the app tells the user's systems, each POSTed signed to the webhooks that want it. */
export const WEBHOOK_EVENTS = ['message.status', 'message.received', 'contact.opted_out', 'campaign.finished', 'number.state', 'conversation.answer', 'contact.tagged', 'campaign.started'] as const;
export const WebhookEventSchema = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

export const WebhookSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(WebhookEventSchema),
  active: z.boolean(),
  /** May reach an address of the user's own network (chosen when it was made). */
  allowLan: z.boolean(),
  createdAt: z.number(),
  pending: z.number().int(),
  failed: z.number().int(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

export const WebhookInputSchema = z
  .object({ url: z.string().trim().url().max(2000), events: z.array(WebhookEventSchema).min(1).max(WEBHOOK_EVENTS.length), allowLan: z.boolean().optional() })
  .strict();

export const WebhookAttemptSchema = z.object({ at: z.number(), status: z.number().int().nullable(), error: z.string().nullable(), ms: z.number() });
export const WebhookDeliverySchema = z.object({
  id: z.number().int(),
  webhookId: z.number().int(),
  event: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(WebhookAttemptSchema),
  nextAttemptAt: z.number().nullable(),
  createdAt: z.number(),
  deliveredAt: z.number().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;
