import { z } from 'zod';
import { CheckInputSchema, ContactDetailSchema, ContactFilterSchema, ContactIdSchema, ContactSchema, DownloadSchema, ImportHistoryItemSchema, ImportInputSchema, ImportNoticeSchema, ImportSummarySchema, ListIdSchema, ListNameSchema, ListSchema, PreviewSchema } from './contacts';
import { command } from './command-spec';

const Empty = z.object({}).strict();

/** Contacts, their imports and lists: the contract's table for them, merged into `commands`. */
export const contactCommands = {
  'contacts.preview': command(
    'Reads the first rows of an uploaded file: type, encoding, separator, sheets, header row, suggested columns. Errors: upload_not_found, file_empty, file_no_data, file_unsupported, file_old_excel, file_corrupt, file_too_wide.',
    z.object({ uploadId: z.string().max(64), sheet: z.string().max(200).optional(), headerRow: z.number().int().min(1).max(100).optional() }).strict(),
    PreviewSchema,
  ),
  'contacts.import': command(
    'Starts importing an uploaded file into a list; progress and the summary come as events. Errors: those of contacts.preview, list_exists, not_found, import_busy.',
    ImportInputSchema,
    z.object({ jobId: z.number().int() }),
  ),
  'contacts.importCancel': command(
    'Cancels a running import: nothing of it is written. False once it is saving. Errors: import_not_found.',
    z.object({ jobId: z.number().int() }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),
  'contacts.importSummary': command('What an import did, with its first refused rows. Errors: import_not_found.', z.object({ importId: z.number().int() }).strict(), ImportSummarySchema),
  'contacts.sampleFile': command(
    'Makes a sample contacts file (CSV or XLSX) in the UI language to fill in and import. No side effects.',
    z.object({ format: z.enum(['csv', 'xlsx']) }).strict(),
    DownloadSchema,
  ),
  'contacts.importHistory': command('Past imports, newest first, with what each did. No side effects.', Empty, z.array(ImportHistoryItemSchema)),
  'contacts.importNotices': command(
    'Imports a crash or a close interrupted, not yet acknowledged: finished at the start (resumed), dropped whole (discarded), or being finished now (resuming). No side effects.',
    z.object({}).strict(),
    z.object({ notices: z.array(ImportNoticeSchema) }),
  ),
  'contacts.importNoticeSeen': command('The user has read a notice of an interrupted import. Errors: not_found.', z.object({ id: z.number().int().positive() }).strict(), z.object({ id: z.number().int() })),
  'contacts.importRejectsFile': command(
    'Makes the CSV of an import\'s refused rows (row, reason, original columns), or with `kind: "duplicates"` of its repeated rows (row, the row it repeats, original columns), to download. Errors: import_not_found.',
    z.object({ importId: z.number().int(), kind: z.enum(['rejected', 'duplicates']).optional() }).strict(),
    DownloadSchema,
  ),
  'contacts.query': command(
    'One page of contacts matching a filter, with the total unless `withTotal` is false (a table counts once per filter, not for every block it scrolls to). No side effects.',
    ContactFilterSchema.extend({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(500), withTotal: z.boolean().optional() }).strict(),
    z.object({ total: z.number().int().optional(), rows: z.array(ContactSchema) }),
  ),
  'contacts.ids': command(
    'The ids of the contacts matching a filter (the first 10,000) and how many match, to select them all. No side effects.',
    ContactFilterSchema,
    z.object({ total: z.number().int(), ids: z.array(ContactIdSchema) }),
  ),
  'contacts.get': command('A contact with its lists and opt-out history. Errors: not_found.', z.object({ id: ContactIdSchema }).strict(), ContactDetailSchema),
  'contacts.update': command(
    'Edits a contact\'s name, phone (normalised) or fields. Errors: not_found, invalid_input, phone_taken.',
    z
      .object({
        id: ContactIdSchema,
        name: z.string().max(200).nullable().optional(),
        phone: z.string().max(40).optional(),
        fields: z.record(z.string().max(60), z.string().max(1000)).optional(),
      })
      .strict(),
    ContactSchema,
  ),
  'contacts.delete': command('Deletes contacts (their opt-outs stay). ', z.object({ ids: z.array(ContactIdSchema).min(1).max(10000) }).strict(), z.object({ deleted: z.number().int() })),
  'contacts.optOut': command('Marks a contact as opted out, for good. Errors: not_found.', z.object({ id: ContactIdSchema }).strict(), ContactSchema),
  'contacts.undoOptOut': command(
    'Undoes an opt-out; needs `confirm: true` and records who and when. Errors: not_found.',
    z.object({ id: ContactIdSchema, confirm: z.literal(true) }).strict(),
    ContactSchema,
  ),
  'contacts.fields': command('Every custom field name imported so far, for messages. No side effects.', Empty, z.array(z.string())),
  'contacts.export': command(
    'Exports the contacts of a filter to CSV or XLSX, headers in the UI language, for download.',
    z.object({ filter: ContactFilterSchema, format: z.enum(['csv', 'xlsx']) }).strict(),
    DownloadSchema,
  ),
  'contacts.checkWhatsApp': command(
    'Checks, gently paced through a linked number, which contacts of a list are on WhatsApp; progress comes as events. Errors: not_found, no_connected_number, check_running.',
    CheckInputSchema,
    z.object({ jobId: z.number().int() }),
  ),
  'contacts.checkCancel': command('Stops a running WhatsApp check. Errors: not_found.', z.object({ jobId: z.number().int() }).strict(), z.object({ jobId: z.number().int() })),

  'lists.list': command('Every list with its number of contacts. No side effects.', Empty, z.array(ListSchema)),
  'lists.create': command('Creates an empty list. Errors: list_exists.', z.object({ name: ListNameSchema }).strict(), ListSchema),
  'lists.rename': command('Renames a list. Errors: not_found, list_exists.', z.object({ id: ListIdSchema, name: ListNameSchema }).strict(), ListSchema),
  'lists.delete': command('Deletes a list; its contacts stay. Errors: not_found.', z.object({ id: ListIdSchema }).strict(), z.object({ id: ListIdSchema })),
  'lists.addMembers': command(
    'Adds contacts to a list. Errors: not_found.',
    z.object({ listId: ListIdSchema, contactIds: z.array(ContactIdSchema).min(1).max(10000) }).strict(),
    z.object({ changed: z.number().int() }),
  ),
  'lists.removeMembers': command(
    'Removes contacts from a list (they stay in the address book). Errors: not_found.',
    z.object({ listId: ListIdSchema, contactIds: z.array(ContactIdSchema).min(1).max(10000) }).strict(),
    z.object({ changed: z.number().int() }),
  ),

};
