import { z } from 'zod';
import { ListIdSchema } from './contacts';
import { BodySchema, MediaIdSchema, MediaViewSchema, TemplateIdSchema } from './messages';
import { NumberIdSchema } from './numbers';
import { TimeZoneSchema } from './types';
import { CloudTemplateChoiceSchema } from './cloud';
import { CampaignSegmentSchema, SegmentIdSchema } from './segments';

export const CampaignIdSchema = z.number().int().positive();
export const CAMPAIGN_STATES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export const CampaignStateSchema = z.enum(CAMPAIGN_STATES);
export const SEND_STATES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped', 'in_doubt'] as const;

/** A from–to pair of a custom pace: "from 10 to 3 s" is refused (#30 item 7), not taken as it comes. */
const Range = z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([from, to]) => to >= from, { message: 'the range ends before it starts' });
export const PaceInputSchema = z.discriminatedUnion('preset', [
  z.object({ preset: z.literal('standard') }).strict(),
  z.object({ preset: z.literal('careful') }).strict(),
  z.object({ preset: z.literal('new_number') }).strict(),
  /** Cloud API numbers: Meta paces them (80 messages/s); the app keeps to the number's tier of people per day. */
  z.object({ preset: z.literal('cloud') }).strict(),
  z
    .object({
      preset: z.literal('custom'),
      perMinute: z.number().int().min(1).max(100),
      gapMs: Range,
      batch: Range,
      pauseMs: Range,
      dailyCap: z.number().int().min(1).max(6000),
    })
    .strict(),
]);
export type PaceInput = z.infer<typeof PaceInputSchema>;

export const WindowSchema = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    startMinute: z.number().int().min(0).max(1439),
    endMinute: z.number().int().min(1).max(1440),
  })
  .strict()
  .refine((w) => w.endMinute > w.startMinute, { message: 'the window ends before it starts', path: ['endMinute'] });

/** Who a follow-up writes to: those who read the first message or replied to it, or only those who replied. */
export const FollowUpWhoSchema = z.enum(['read_or_replied', 'replied']);
export const FollowUpPlanSchema = z
  .object({ afterDays: z.number().int().min(1).max(30), who: FollowUpWhoSchema, body: BodySchema, mediaId: MediaIdSchema.nullable() })
  .strict();
export type FollowUpPlan = z.infer<typeof FollowUpPlanSchema>;

/**
 * An A/B test: the other versions (B, C, D), the part of the audience the test takes (100: everyone, split among the
 * versions), how long after the start the best version is chosen for the rest and by what. The choice, once made,
 * is kept with it (`winner`: 0 for the first version; `confidence`: how sure, 0–1).
 */
export const AbTestSchema = z
  .object({
    variants: z.array(BodySchema).min(1).max(3),
    testShare: z.number().int().min(10).max(100),
    waitHours: z.number().int().min(1).max(168),
    metric: z.enum(['replied', 'read']),
    winner: z.number().int().min(0).max(3).optional(),
    confidence: z.number().min(0).max(1).optional(),
    decidedAt: z.number().optional(),
  })
  .strict();
export type AbTest = z.infer<typeof AbTestSchema>;

/** The latest start a campaign may be given: 1 January 2100 (ms). */
export const START_AT_MAX = Date.UTC(2100, 0, 1);

export const CampaignSettingsSchema = z
  .object({
    pace: PaceInputSchema,
    window: WindowSchema.nullable(),
    timeZone: TimeZoneSchema,
    /** When to start (ms since 1970); at most about ten years ahead: a date past JavaScript's range breaks every view. */
    startAt: z.number().int().min(0).max(START_AT_MAX).nullable(),
    /** Leave out whoever got a message from the app in the 24 h before the start (default: yes). */
    skipRecent: z.boolean().optional(),
    /** Send first to people who have written to the number before (WhatsApp's limits spare them: #32). */
    warmFirst: z.boolean().optional(),
    /** On Cloud API numbers: the approved template sent, and the field behind each of its parameters. */
    cloud: CloudTemplateChoiceSchema.optional(),
    /** Set at launch: the user confirmed they may write to the contacts with no recorded agreement (the report says so). */
    consentConfirmed: z.boolean().optional(),
    /**
     * A second message N days after this one's start, only to who read or replied to it (#35 item 3): made at launch
     * as a campaign of its own, filled when it is due from who engaged by then.
     */
    followUp: FollowUpPlanSchema.optional(),
    /** Two to four versions of the message, each to a seeded random share (#35 item 5); `body` is the first. */
    abTest: AbTestSchema.optional(),
    /** Set on a follow-up: the campaign whose engaged contacts it writes to. */
    followUpOf: z.object({ campaignId: CampaignIdSchema, who: FollowUpWhoSchema, afterDays: z.number().int() }).strict().optional(),
  })
  .strict();
export type CampaignSettings = z.infer<typeof CampaignSettingsSchema>;

export const CampaignInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    templateId: TemplateIdSchema.nullable(),
    body: BodySchema,
    mediaId: MediaIdSchema.nullable(),
    /** Lists and segments whose contacts it writes to (at least one of either), minus the excluded lists' contacts. */
    includeListIds: z.array(ListIdSchema).max(50),
    excludeListIds: z.array(ListIdSchema).max(50),
    segmentIds: z.array(SegmentIdSchema).max(20).optional(),
    numberIds: z.array(NumberIdSchema).min(1).max(20),
    settings: CampaignSettingsSchema,
  })
  .strict();
export type CampaignInput = z.infer<typeof CampaignInputSchema>;

/** A recurring campaign's plan: what each run sends, how often, and the frequency cap across its runs. */
export const RecurringInputSchema = z
  .object({
    input: CampaignInputSchema,
    every: z.enum(['week', 'month']),
    /** Never the same contact twice within this many days, across the plan's runs. */
    capDays: z.number().int().min(1).max(365),
    confirmNoConsent: z.boolean().optional(),
  })
  .strict();
export type RecurringInput = z.infer<typeof RecurringInputSchema>;

export const RecurringPlanSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  every: z.enum(['week', 'month']),
  capDays: z.number().int(),
  nextAt: z.number(),
  active: z.boolean(),
  createdAt: z.number(),
  runs: z.array(z.object({ id: CampaignIdSchema, name: z.string(), state: CampaignStateSchema, createdAt: z.number(), total: z.number().int(), sent: z.number().int(), skipped: z.number().int() })),
});
export type RecurringPlan = z.infer<typeof RecurringPlanSchema>;

export const SKIP_REASONS = ['opted_out', 'not_on_whatsapp', 'missing_field', 'recent_24h', 'excluded', 'cancelled', 'frequency_cap'] as const;
export const RISK_REASONS = [
  'volume_over_daily_cap',
  'fast_pace_for_new_number',
  'no_opt_out_line',
  'links',
  'same_for_everyone',
  'large_volume',
  'many_unchecked',
  'no_test_send',
  'low_score',
  'over_unanswered_budget',
  'near_unanswered_budget',
] as const;

export const EstimateSchema = z.object({
  contacts: z.number().int(),
  toSend: z.number().int(),
  skipped: z.record(z.enum(SKIP_REASONS), z.number().int()),
  estimatedFinish: z.number().nullable(),
  dailyCapacity: z.number().int(),
  /**
   * What the chosen numbers have left this month of their budgets of messages to people who never answered (all
   * of them together); the campaign's sends to new people beyond it wait for the next month.
   */
  unansweredLeft: z.number().int(),
  /**
   * When WhatsApp states a limit on messages to new people for the chosen numbers (#32): of those to send to, how
   * many never wrote to them (cold) and did (warm), what the cap leaves this period and gives per period, in how
   * many periods the cold ones get theirs, and the end of a timelock.
   */
  newPeople: z
    .object({ cold: z.number().int(), warm: z.number().int(), left: z.number().int(), perCycle: z.number().int(), cycles: z.number().int(), timelockUntil: z.number().nullable() })
    .nullable(),
  /** Of those to send to, how many have no recorded "yes" to getting messages: launching needs a confirmation. */
  withoutConsent: z.number().int(),
  /** On Cloud API numbers: what the messages to send would cost if all were delivered (US$, Settings' prices). */
  cost: z.object({ category: z.string(), each: z.number(), total: z.number(), /** The rate card's date the prices are from. */ asOf: z.string() }).nullable(),
  risk: z.object({ level: z.enum(['low', 'medium', 'high']), reasons: z.array(z.enum(RISK_REASONS)) }),
});
export type Estimate = z.infer<typeof EstimateSchema>;

/** Messages that went out: a delivered or read one was sent too. */
export function sentCount(counts: { sent: number; delivered: number; read: number }): number {
  return counts.sent + counts.delivered + counts.read;
}

export const CountsSchema = z.object(Object.fromEntries(SEND_STATES.map((s) => [s, z.number().int()])) as Record<(typeof SEND_STATES)[number], z.ZodNumber>);

export const CampaignViewSchema = z.object({
  id: CampaignIdSchema,
  name: z.string(),
  state: CampaignStateSchema,
  pauseReason: z.string().nullable(),
  pauseDetail: z.string().nullable(),
  needsConfirmation: z.boolean(),
  body: z.string(),
  media: MediaViewSchema.nullable(),
  settings: CampaignSettingsSchema,
  numbers: z.array(z.object({ id: NumberIdSchema, label: z.string(), lost: z.boolean() })),
  lists: z.array(z.object({ id: ListIdSchema, name: z.string(), exclude: z.boolean() })),
  /** Its segments, with the rules its audience was taken with at launch (before it: as they are now). */
  segments: z.array(CampaignSegmentSchema),
  /** A follow-up's first campaign (null for any other). */
  parentId: z.number().int().nullable(),
  /** A recurring campaign's run: its plan (null for any other). */
  recurringId: z.number().int().nullable(),
  /** Its follow-ups, as part of it: when each goes, to whom, and how far it got. */
  followUps: z.array(
    z.object({ id: CampaignIdSchema, name: z.string(), state: CampaignStateSchema, startAt: z.number().nullable(), afterDays: z.number().int(), who: FollowUpWhoSchema, total: z.number().int(), counts: CountsSchema }),
  ),
  counts: CountsSchema,
  total: z.number().int(),
  /** Of the skipped, those left unsent because the campaign was cancelled (they count in its target). */
  cancelled: z.number().int(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type CampaignView = z.infer<typeof CampaignViewSchema>;

export const CampaignEventSchema = z.object({
  at: z.number(),
  kind: z.enum(['sent', 'delivered', 'read', 'failed', 'skipped', 'opt_out', 'reply', 'in_doubt', 'brake', 'number_lost', 'waiting']),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  detail: z.string().nullable(),
});

export const ProgressSchema = z.object({
  campaignId: CampaignIdSchema,
  state: CampaignStateSchema,
  counts: CountsSchema,
  total: z.number().int(),
  /** Of the skipped, those left unsent because the campaign was cancelled (not skipped for a contact's reason). */
  cancelled: z.number().int(),
  /** Sends in the last minute, over all of this campaign's numbers. */
  pace: z.number().int(),
  perNumber: z.array(
    z.object({ numberId: NumberIdSchema, label: z.string(), state: z.string(), sentToday: z.number().int(), dailyCap: z.number().int(), lost: z.boolean() }),
  ),
  eta: z.number().nullable(),
  waiting: z.object({ until: z.number(), why: z.string() }).nullable(),
  /** Sends waiting for a limit WhatsApp states to end (the new-chat cap's next cycle, the timelock's end). */
  held: z.array(z.object({ reason: z.enum(['new_chat_cap', 'timelock']), count: z.number().int(), until: z.number() })),
  /** Messages left at one tick while WhatsApp limited their number: WhatsApp did not deliver them (not people blocking). */
  limitUndelivered: z.number().int(),
  pauseReason: z.string().nullable(),
  /** What the pause reason measured (a brake's count), live with it. */
  pauseDetail: z.string().nullable(),
  needsConfirmation: z.boolean(),
  events: z.array(CampaignEventSchema),
});
export type Progress = z.infer<typeof ProgressSchema>;
