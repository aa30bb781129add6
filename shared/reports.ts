import { z } from 'zod';
import { CampaignIdSchema, SEND_STATES } from './campaigns';

/** A rate with its 95 % interval (Wilson), as parts of 1. */
export const RateSchema = z.object({ count: z.number().int(), rate: z.number(), low: z.number(), high: z.number() });
export type Rate = z.infer<typeof RateSchema>;

/** One version of an A/B test: who got it and what they did. */
export const VersionStatSchema = z.object({
  variant: z.number().int(),
  body: z.string(),
  sent: z.number().int(),
  read: RateSchema,
  replied: RateSchema,
  optedOut: RateSchema,
  /** Left at one tick a day after going out: the sign of a block. */
  blocked: RateSchema,
});
export type VersionStat = z.infer<typeof VersionStatSchema>;

export const ReportSchema = z.object({
  campaignId: CampaignIdSchema,
  name: z.string(),
  state: z.string(),
  /** Contacts the campaign meant to write to (all rows but the skipped ones). */
  targeted: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  inDoubt: z.number().int(),
  queued: z.number().int(),
  replied: z.number().int(),
  optedOut: z.number().int(),
  failedBy: z.record(z.string(), z.number().int()),
  skippedBy: z.record(z.string(), z.number().int()),
  /** The user confirmed at launch they may write to contacts with no recorded agreement. */
  consentConfirmed: z.boolean(),
  perNumber: z.array(z.object({ numberId: z.string(), label: z.string(), sent: z.number().int(), delivered: z.number().int(), read: z.number().int(), failed: z.number().int() })),
  /** Sends, deliveries and reads per time bucket, for the chart. */
  /** Cloud API campaigns: what Meta charges, messages delivered × the price of their category (Settings); null otherwise. */
  cost: z.object({ delivered: z.number().int(), total: z.number(), byCategory: z.record(z.string(), z.number()), /** The rate card's date the prices are from. */ asOf: z.string() }).nullable(),
  timeline: z.object({ bucketMs: z.number().int(), start: z.number(), sent: z.array(z.number().int()), delivered: z.array(z.number().int()), read: z.array(z.number().int()) }),
  /** An A/B test's versions with their rates (null: one version). */
  versions: z.array(VersionStatSchema).nullable(),
  /** The version chosen for the rest of the audience, and how sure that choice was (null: not chosen, or no rest). */
  abChoice: z.object({ winner: z.number().int(), confidence: z.number(), metric: z.enum(['replied', 'read']), decidedAt: z.number() }).nullable(),
});
export type Report = z.infer<typeof ReportSchema>;

export const ReportRowSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  phone: z.string(),
  state: z.enum(SEND_STATES),
  reason: z.string().nullable(),
  numberLabel: z.string().nullable(),
  sentAt: z.number().nullable(),
  deliveredAt: z.number().nullable(),
  readAt: z.number().nullable(),
  /** Wrote back at all (an opt-out is a reply too). */
  replied: z.boolean(),
  /** Asked to stop, by a reply to this campaign. */
  optedOut: z.boolean(),
  /** The contact's recorded consent to get messages (see contacts.consent): 'yes', 'no', or never asked. */
  consent: z.enum(['yes', 'no']).nullable(),
});
export type ReportRow = z.infer<typeof ReportRowSchema>;

/** A figure as a percentage of the contacts the campaign meant to write to, one decimal. */
export function percentOfTargeted(report: Pick<Report, 'targeted'>, n: number): number {
  return report.targeted > 0 ? Math.round((n / report.targeted) * 1000) / 10 : 0;
}
