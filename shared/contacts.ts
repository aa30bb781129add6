import { z } from 'zod';
import { NumberIdSchema } from './numbers';
import { MAX_COLUMNS } from './import-limits';

export const ContactIdSchema = z.number().int().positive();
export const ListIdSchema = z.number().int().positive();
export const WaStatusSchema = z.enum(['unknown', 'on_whatsapp', 'not_on_whatsapp']);
export const ContactStatusFilterSchema = z.enum(['all', 'active', 'opted_out', 'not_on_whatsapp']);

/** Where a list came from, as the import wizard asks it. A bought list is against WhatsApp's rules: the wizard says so. */
export const CONSENT_SOURCES = ['customers', 'signup', 'event', 'referral', 'bought', 'other'] as const;
export const ConsentInputSchema = z.object({ source: z.enum(CONSENT_SOURCES), agreed: z.boolean() }).strict();
export type ConsentInput = z.infer<typeof ConsentInputSchema>;

export const ContactSchema = z.object({
  id: ContactIdSchema,
  phone: z.string(),
  name: z.string().nullable(),
  fields: z.record(z.string(), z.string()),
  waStatus: WaStatusSchema,
  optedOut: z.boolean(),
  optedOutAt: z.number().nullable(),
  /** Agreed to get messages ('yes'), did not or not known ('no'), never asked (null); where from, and when said. */
  consent: z.enum(['yes', 'no']).nullable(),
  consentSource: z.enum(CONSENT_SOURCES).nullable(),
  consentAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const ContactDetailSchema = ContactSchema.extend({
  lists: z.array(z.object({ id: ListIdSchema, name: z.string() })),
  /** Its tags (#35), by name; `auto`: set by the app on an event. */
  tags: z.array(z.object({ id: z.number().int(), name: z.string(), auto: z.string().nullable() })),
  optOutLog: z.array(z.object({ action: z.enum(['opt_out', 'undo']), source: z.string(), actor: z.string().nullable(), at: z.number() })),
});

export const ContactFilterSchema = z
  .object({
    search: z.string().trim().max(100).optional(),
    listId: ListIdSchema.nullable().optional(),
    status: ContactStatusFilterSchema.optional(),
    /** Contacts with this tag (#35). */
    tagId: z.number().int().positive().nullable().optional(),
    /** Contacts in this segment, by its rules as they are now (#35). */
    segmentId: z.number().int().positive().nullable().optional(),
  })
  .strict();
export type ContactFilter = z.infer<typeof ContactFilterSchema>;

export const ListSchema = z.object({ id: ListIdSchema, name: z.string(), count: z.number().int(), createdAt: z.number() });
export type ContactList = z.infer<typeof ListSchema>;
export const ListNameSchema = z.string().trim().min(1).max(80);

/** ISO 3166 country used for numbers written without a country code. */
export const CountrySchema = z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code');

const SuggestionReasonSchema = z.object({ column: z.number().int(), matching: z.number().int(), sampled: z.number().int(), byTitle: z.boolean() });

export const PreviewSchema = z.object({
  kind: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf8', 'utf16le', 'utf16be', 'windows1252']).nullable(),
  delimiter: z.string().nullable(),
  sheets: z.array(z.object({ name: z.string(), empty: z.boolean(), rows: z.number().int(), phones: z.number().int() })),
  /** The sheet that looks like the contacts (the most phones), for the sheet picker's hint. */
  contactsSheet: z.string().nullable(),
  sheet: z.string().nullable(),
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  aboveHeader: z.array(z.object({ rowNumber: z.number().int(), cells: z.array(z.string()) })),
  rows: z.array(z.object({ rowNumber: z.number().int(), cells: z.array(z.string()) })),
  /** What each column's cells look like in the previewed rows. */
  columns: z.array(z.object({ kind: z.enum(['phone', 'name', 'email', 'date', 'number', 'text', 'empty']), matching: z.number().int(), filled: z.number().int() })),
  suggested: z.object({
    phoneColumn: z.number().int().nullable(),
    nameColumn: z.number().int().nullable(),
    /** Why: how many previewed rows have a phone (a name) in that column, and whether its title agreed. */
    phone: SuggestionReasonSchema.nullable(),
    name: SuggestionReasonSchema.nullable(),
  }),
  fileName: z.string(),
  size: z.number().int(),
});
export type FilePreview = z.infer<typeof PreviewSchema>;

export { MAX_COLUMNS };

export const ImportInputSchema = z
  .object({
    uploadId: z.string().max(64),
    sheet: z.string().max(200).nullable(),
    headerRow: z.number().int().min(1).max(100),
    phoneColumn: z.number().int().min(0).max(MAX_COLUMNS - 1),
    nameColumn: z.number().int().min(0).max(MAX_COLUMNS - 1).nullable(),
    fieldColumns: z.array(z.number().int().min(0).max(MAX_COLUMNS - 1)).max(MAX_COLUMNS),
    defaultCountry: CountrySchema,
    list: z.union([z.object({ id: ListIdSchema }).strict(), z.object({ name: ListNameSchema }).strict()]),
    /** Contacts already in the app: take the file's name and fields (default), or keep them as they are. */
    existing: z.enum(['update', 'keep']).optional(),
    /** Where the contacts came from and whether they agreed to get messages (the wizard asks; stored per contact). */
    consent: ConsentInputSchema.optional(),
    /** A column of tags, separated by commas or semicolons ("VIP, Mayoreo"): each becomes a tag on its contact (#35). */
    tagColumn: z.number().int().min(0).max(MAX_COLUMNS - 1).nullable().optional(),
  })
  .strict();

export const REJECT_REASONS = ['empty', 'scientific_notation', 'not_a_number', 'too_short', 'too_long', 'invalid', 'duplicate'] as const;
export const ImportRejectSchema = z.object({
  rowNumber: z.number().int(),
  reason: z.enum(REJECT_REASONS),
  duplicateOf: z.number().int().nullable(),
  cells: z.array(z.string()),
});

export const ImportSummarySchema = z.object({
  importId: z.number().int(),
  fileName: z.string(),
  listId: ListIdSchema.nullable(),
  headers: z.array(z.string()),
  totalRows: z.number().int(),
  imported: z.number().int(),
  updated: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  /** Lines of a UTF-8 file that were Windows-1252, read as such (a list pasted together from two exports). */
  repairedLines: z.number().int(),
  /** The first refused and duplicate rows (all of them are in the downloadable CSV). */
  rejects: z.array(ImportRejectSchema),
  /** What was done with contacts already in the app; `updated` counts them either way. */
  existing: z.enum(['update', 'keep']),
});

/** One past import, for the history. */
export const ImportHistoryItemSchema = z.object({
  importId: z.number().int(),
  fileName: z.string(),
  listId: ListIdSchema.nullable(),
  listName: z.string().nullable(),
  createdAt: z.number(),
  imported: z.number().int(),
  updated: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  existing: z.enum(['update', 'keep']),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;
export type ImportHistoryItem = z.infer<typeof ImportHistoryItemSchema>;

export const ImportProgressSchema = z.object({
  jobId: z.number().int(),
  phase: z.enum(['reading', 'saving']),
  fraction: z.number(),
  rowsRead: z.number().int(),
  valid: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
});

export const ImportFinishedSchema = z.object({
  jobId: z.number().int(),
  status: z.enum(['done', 'cancelled', 'failed']),
  summary: ImportSummarySchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

/** What the user is told of an import a crash or a close interrupted (see import_notices), or one being finished now. */
export const ImportNoticeSchema = z.object({
  id: z.number().int().nullable(),
  kind: z.enum(['resuming', 'resumed', 'discarded', 'incomplete']),
  fileName: z.string(),
  importId: z.number().int().nullable(),
  listId: ListIdSchema.nullable(),
  /** Contacts saved: all of them once resumed, those saved before the stop when incomplete. */
  saved: z.number().int().nullable(),
  total: z.number().int().nullable(),
  at: z.number(),
});
export type ImportNotice = z.infer<typeof ImportNoticeSchema>;

export const DownloadSchema = z.object({ downloadId: z.string(), fileName: z.string(), url: z.string() });

export const CheckInputSchema = z.object({ listId: ListIdSchema, numberId: NumberIdSchema }).strict();
export const CheckProgressSchema = z.object({
  jobId: z.number().int(),
  listId: ListIdSchema,
  done: z.number().int(),
  total: z.number().int(),
  onWhatsApp: z.number().int(),
  notOnWhatsApp: z.number().int(),
  status: z.enum(['running', 'done', 'cancelled', 'failed']),
  error: z.string().nullable(),
});
