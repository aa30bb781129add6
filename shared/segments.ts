import { z } from 'zod';
import { ContactIdSchema, ContactSchema, ListIdSchema } from './contacts';

export const TagIdSchema = z.number().int().positive();
export const SegmentIdSchema = z.number().int().positive();
export const TagNameSchema = z.string().trim().min(1).max(60);

/** How a contact got a tag: by hand, from an import's column, from a conversation, or by the app on an event. */
export const TAG_SOURCES = ['manual', 'import', 'conversation', 'report', 'event'] as const;
export const TagSourceSchema = z.enum(TAG_SOURCES);

/** Tags the app sets by itself on events (#35 item 1); each is one tag, named in the UI's language when made. */
export const AUTO_TAGS = ['replied', 'read', 'opted_out', 'opted_in'] as const;
export const AutoTagSchema = z.enum(AUTO_TAGS);
export type AutoTag = z.infer<typeof AutoTagSchema>;

export const TagSchema = z.object({ id: TagIdSchema, name: z.string(), auto: AutoTagSchema.nullable(), count: z.number().int(), createdAt: z.number() });
export type Tag = z.infer<typeof TagSchema>;

const Days = z.number().int().min(1).max(3650);
const FieldValue = z.string().trim().max(200);

/**
 * One rule of a segment. Engagement rules look at what the app sent and received: "respondió a Expo"
 * (`replied` with its campaign), "leyó y no respondió en 7 días" (`read_no_reply`), "nunca me ha escrito"
 * (`never_wrote`), "sin mensaje en 30 días" (`not_messaged`); the rest at the contact itself.
 */
export const SegmentRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('field'), field: z.string().trim().min(1).max(60), op: z.enum(['is', 'is_not', 'contains', 'empty', 'not_empty']), value: FieldValue.optional() }).strict(),
  z.object({ kind: z.literal('tag'), tagId: TagIdSchema, has: z.boolean() }).strict(),
  z.object({ kind: z.literal('list'), listId: ListIdSchema, member: z.boolean() }).strict(),
  z.object({ kind: z.literal('consent'), value: z.enum(['yes', 'no', 'unknown']) }).strict(),
  z.object({ kind: z.literal('replied'), campaignId: z.number().int().positive().nullable(), withinDays: Days.nullable() }).strict(),
  z.object({ kind: z.literal('read_no_reply'), campaignId: z.number().int().positive().nullable(), days: Days }).strict(),
  z.object({ kind: z.literal('never_wrote') }).strict(),
  z.object({ kind: z.literal('not_messaged'), days: Days }).strict(),
  z.object({ kind: z.literal('added'), withinDays: Days }).strict(),
]);
export type SegmentRule = z.infer<typeof SegmentRuleSchema>;

export const SegmentRulesSchema = z.object({ match: z.enum(['all', 'any']), rules: z.array(SegmentRuleSchema).min(1).max(20) }).strict();
export type SegmentRules = z.infer<typeof SegmentRulesSchema>;

export const SegmentInputSchema = SegmentRulesSchema.extend({ name: z.string().trim().min(1).max(80) }).strict();
export type SegmentInput = z.infer<typeof SegmentInputSchema>;

export const SegmentSchema = z.object({
  id: SegmentIdSchema,
  name: z.string(),
  match: z.enum(['all', 'any']),
  rules: z.array(SegmentRuleSchema),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Segment = z.infer<typeof SegmentSchema>;

/** A segment's rules as counted now: who is in it, of them who opted out (never sent to), and the first few. */
export const SegmentCountSchema = z.object({ total: z.number().int(), optedOut: z.number().int(), sample: z.array(ContactSchema), ms: z.number() });
export type SegmentCount = z.infer<typeof SegmentCountSchema>;

/** The rules a campaign's audience was taken with, as they were at its launch (the report says them). */
export const CampaignSegmentSchema = z.object({ id: SegmentIdSchema, name: z.string(), match: z.enum(['all', 'any']), rules: z.array(SegmentRuleSchema) });

export const TagContactsInputSchema = z
  .object({ tagId: TagIdSchema, contactIds: z.array(ContactIdSchema).min(1).max(10000), source: TagSourceSchema.optional() })
  .strict();
