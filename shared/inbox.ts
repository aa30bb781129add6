import { z } from 'zod';
import { CampaignIdSchema } from './campaigns';
import { HEALTH_ADVICE } from './health';
import { NumberIdSchema, WaLimitsSchema } from './numbers';
import { ConversationStatsSchema } from './conversations';

export const InboxFilterSchema = z
  .object({
    campaignId: CampaignIdSchema.nullable().optional(),
    numberId: NumberIdSchema.nullable().optional(),
    show: z.enum(['all', 'unhandled', 'opt_out', 'doubtful']).optional(),
  })
  .strict();

export const ReplySchema = z.object({
  id: z.number().int(),
  at: z.number(),
  body: z.string(),
  type: z.string(),
  optOut: z.boolean(),
  /** The opt-out matcher's rule when it found the reply doubtful and the user has not decided yet; null otherwise. */
  doubt: z.string().nullable(),
  handled: z.boolean(),
  phone: z.string().nullable(),
  contactId: z.number().int().nullable(),
  contactName: z.string().nullable(),
  campaignId: z.number().int().nullable(),
  campaignName: z.string().nullable(),
  numberId: z.string(),
  numberLabel: z.string().nullable(),
});
export type Reply = z.infer<typeof ReplySchema>;

export const DashboardSchema = z.object({
  numbers: z.array(
    z.object({
      id: NumberIdSchema,
      label: z.string(),
      phone: z.string().nullable(),
      state: z.string(),
      kind: z.string(),
      sentToday: z.number().int(),
      dailyCap: z.number().int(),
      /** This month's messages to people who never answered, against the number's budget for them. */
      unanswered: z.number().int(),
      budget: z.number().int(),
      /** Health over the last 7 days (null: too few messages to tell) and the one thing to do next. */
      health: z.number().int().nullable(),
      advice: z.enum(HEALTH_ADVICE).nullable(),
      /** WhatsApp's own limits, as last read from it: when it states its cap, that is shown instead of the budget. */
      limits: WaLimitsSchema.nullable(),
    }),
  ),
  running: z.array(z.object({ id: CampaignIdSchema, name: z.string(), state: z.string(), sent: z.number().int(), total: z.number().int() })),
  unhandledReplies: z.number().int(),
  /** Conversations waiting for an answer, unread messages, the median time to answer (#33). */
  conversations: ConversationStatsSchema,
  /** Replies that may be opt-outs, waiting for the user's decision in the inbox. */
  doubtfulReplies: z.number().int(),
  optOutsToday: z.number().int(),
  warnings: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('braked'), campaignId: CampaignIdSchema, name: z.string(), reason: z.string() }),
      z.object({ kind: z.literal('number'), numberId: NumberIdSchema, label: z.string(), state: z.string() }),
      /** Near the month's budget of unanswered messages: said the way WhatsApp's own pop-up says it. */
      z.object({ kind: z.literal('budget_near'), numberId: NumberIdSchema, label: z.string(), unanswered: z.number().int(), budget: z.number().int(), monthEnd: z.number() }),
    ]),
  ),
  hasContacts: z.boolean(),
  hasMessages: z.boolean(),
  /** A campaign was launched (or scheduled) at least once: the home's last first step is done. */
  hasCampaigns: z.boolean(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;
