import { z } from 'zod';
import { command } from './command-spec';
import { RecurringInputSchema, RecurringPlanSchema } from './campaigns';
import { ContactIdSchema } from './contacts';
import { SegmentCountSchema, SegmentIdSchema, SegmentInputSchema, SegmentRulesSchema, SegmentSchema, TagContactsInputSchema, TagIdSchema, TagNameSchema, TagSchema } from './segments';

/** Tags and segments (#35): the contract's table for them, merged into `commands`. */
export const segmentCommands = {
  'tags.list': command('Every tag with how many contacts carry it. No side effects.', z.object({}).strict(), z.array(TagSchema)),
  'tags.create': command('Creates a tag, or answers the one of that name (capitals aside); pushes `tags.changed`.', z.object({ name: TagNameSchema }).strict(), TagSchema),
  'tags.rename': command('Renames a tag. Errors: not_found, tag_exists.', z.object({ id: TagIdSchema, name: TagNameSchema }).strict(), TagSchema),
  'tags.delete': command('Deletes a tag; its contacts stay. Errors: not_found.', z.object({ id: TagIdSchema }).strict(), z.object({ id: TagIdSchema })),
  'tags.addContacts': command(
    'Tags contacts (`source`: manual by default; import, conversation, report). Already tagged ones stay as they were. Errors: not_found.',
    TagContactsInputSchema,
    z.object({ changed: z.number().int() }),
  ),
  'tags.removeContacts': command(
    'Takes a tag off contacts. Errors: not_found.',
    z.object({ tagId: TagIdSchema, contactIds: z.array(ContactIdSchema).min(1).max(10000) }).strict(),
    z.object({ changed: z.number().int() }),
  ),
  'tags.addFromCampaign': command(
    'Tags the contacts of a campaign by what its message did for them (from its report): replied, read (or replied), delivered (or more), failed, or all. `matched`: how many it took, `changed`: of them, how many did not have the tag yet. Errors: not_found.',
    z.object({ tagId: TagIdSchema, campaignId: z.number().int().positive(), who: z.enum(['replied', 'read', 'delivered', 'failed', 'all']) }).strict(),
    z.object({ matched: z.number().int(), changed: z.number().int() }),
  ),
  'segments.list': command('Every saved segment with its rules. No side effects.', z.object({}).strict(), z.array(SegmentSchema)),
  'segments.get': command('A segment with its rules. Errors: not_found. No side effects.', z.object({ id: SegmentIdSchema }).strict(), SegmentSchema),
  'segments.save': command(
    'Saves a segment (a new one without `id`); saving the same one again answers it. Pushes `segments.changed`. Errors: not_found (a rule names a tag, list or campaign that is gone), segment_exists, invalid_input.',
    SegmentInputSchema.extend({ id: SegmentIdSchema.optional() }).strict(),
    SegmentSchema,
  ),
  'segments.delete': command('Deletes a segment; campaigns that used it keep its rules in their report. Errors: not_found.', z.object({ id: SegmentIdSchema }).strict(), z.object({ id: SegmentIdSchema })),
  'segments.count': command(
    'Who the rules take now: how many contacts, how many of them opted out, the first few, and how long it took. No side effects. Errors: not_found, invalid_input.',
    SegmentRulesSchema,
    SegmentCountSchema,
  ),
  'recurring.list': command('Every recurring campaign: how often, its frequency cap, its next run and its runs. No side effects.', z.object({}).strict(), z.array(RecurringPlanSchema)),
  'recurring.create': command(
    'Plans a campaign that runs every week or month from its start (its lists and segments read again at each run), never writing to the same contact twice within `capDays`; each run is a campaign with its own report. Errors: those of campaigns.create, needs_confirmation (contacts without a recorded consent: confirm with `confirmNoConsent`).',
    RecurringInputSchema,
    RecurringPlanSchema,
  ),
  'recurring.setActive': command('Pauses or resumes a recurring campaign (runs already made go on). Errors: not_found.', z.object({ id: z.number().int().positive(), active: z.boolean() }).strict(), RecurringPlanSchema),
  'recurring.delete': command('Ends a recurring campaign; its runs and their reports stay. Errors: not_found.', z.object({ id: z.number().int().positive() }).strict(), z.object({ id: z.number().int() })),
} as const;

export const segmentEvents = {
  /** A recurring campaign was planned, paused, resumed, ended or made a run. */
  'recurring.changed': z.object({}),
  /** Tags were made, renamed, deleted, or put on or taken off contacts. */
  'tags.changed': z.object({}),
  'segments.changed': z.object({}),
} as const;
