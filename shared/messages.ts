import { z } from 'zod';
import { ContactIdSchema, ListIdSchema } from './contacts';
import { NumberIdSchema } from './numbers';

export const MediaKindSchema = z.enum(['image', 'audio', 'voice', 'video', 'document', 'sticker']);
export const MediaIdSchema = z.string().regex(/^[a-f0-9]{64}$/, 'not a media id');

export const MediaViewSchema = z.object({
  id: MediaIdSchema,
  kind: MediaKindSchema,
  mime: z.string(),
  fileName: z.string(),
  size: z.number().int(),
  /** Over 1 MB: sending each message takes noticeably longer. */
  slow: z.boolean(),
  /** WhatsApp shows no caption on this kind (audio, voice note, sticker): the text goes as its own message after it. */
  textApart: z.boolean(),
  url: z.string(),
});
export type MediaView = z.infer<typeof MediaViewSchema>;

/** The fields every contact has, besides the columns imported with it (`primer_nombre`: «José» of «Lic. José Pérez»). */
export const BUILTIN_FIELDS = ['nombre', 'primer_nombre', 'telefono'] as const;

export const TemplateIdSchema = z.number().int().positive();
export const BodySchema = z.string().max(4096);

/** A saved message (for campaigns) or a saved answer (picked with "/" in a chat, #33). */
export const TemplateKindSchema = z.enum(['message', 'answer']);

export const TemplateSchema = z.object({
  id: TemplateIdSchema,
  kind: TemplateKindSchema,
  name: z.string(),
  body: z.string(),
  media: MediaViewSchema.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Template = z.infer<typeof TemplateSchema>;

export const TemplateErrorSchema = z.object({
  code: z.enum(['unclosed_field', 'unclosed_variation', 'unexpected_close', 'empty_field', 'unknown_field', 'empty_result']),
  at: z.number().int(),
  line: z.number().int(),
  column: z.number().int(),
  detail: z.string().optional(),
});
export type TemplateErrorView = z.infer<typeof TemplateErrorSchema>;

export const CHECK_IDS = [
  'no_personal_field',
  'no_opt_out',
  'links',
  'no_introduction',
  'all_caps',
  'many_exclamations',
  'many_emojis',
  'too_long',
  'same_for_everyone',
  'single_braces',
] as const;
export const CheckSchema = z.object({ id: z.enum(CHECK_IDS), level: z.enum(['warning', 'tip']), fixedBody: z.string().nullable() });

export const AnalysisSchema = z.object({
  errors: z.array(TemplateErrorSchema),
  checks: z.array(CheckSchema),
  score: z.number().int(),
  fields: z.array(z.string()),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

export const PreviewItemSchema = z.object({
  contact: z.object({ id: z.number().int(), name: z.string().nullable(), phone: z.string(), sample: z.boolean() }),
  text: z.string(),
  missing: z.array(z.string()),
});
export const PreviewInputSchema = z
  .object({
    body: BodySchema,
    contactIds: z.array(ContactIdSchema).max(20).optional(),
    listId: ListIdSchema.nullable().optional(),
    /** A campaign's lists: contacts of any of them (the wizard's review). */
    listIds: z.array(ListIdSchema).max(50).optional(),
    /** And its segments (#35): contacts of any of them by their rules now. */
    segmentIds: z.array(z.number().int().positive()).max(20).optional(),
    sample: z.number().int().min(1).max(10).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

export const TestSendSchema = z.object({
  id: z.number().int(),
  numberId: NumberIdSchema,
  phone: z.string(),
  text: z.string(),
  status: z.enum(['sending', 'sent', 'delivered', 'read', 'failed']),
  error: z.string().nullable(),
});
export type TestSend = z.infer<typeof TestSendSchema>;
