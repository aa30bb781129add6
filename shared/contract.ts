import { z } from 'zod';
import { AppInfoSchema, SettingsPatchSchema, SettingsSchema, StorageStatusSchema, UpdateStatusSchema } from './types';
import { LabelSchema, NumberIdSchema, NumberViewSchema, SimFaultSchema } from './numbers';
import {
  CheckProgressSchema,
  ContactIdSchema,
  DownloadSchema,
  ImportFinishedSchema,
  ImportProgressSchema,
} from './contacts';
import {
  AnalysisSchema,
  BodySchema,
  MediaIdSchema,
  MediaViewSchema,
  PreviewInputSchema,
  PreviewItemSchema,
  TemplateErrorSchema,
  TemplateIdSchema,
  TemplateKindSchema,
  TemplateSchema,
  TestSendSchema,
} from './messages';
import { CampaignIdSchema, CampaignInputSchema, CampaignViewSchema, EstimateSchema, ProgressSchema } from './campaigns';
import { DashboardSchema, InboxFilterSchema, ReplySchema } from './inbox';
import { BUDGET_LIMITS, NumberHealthSchema } from './health';
import { ReportRowSchema, ReportSchema } from './reports';
import { CloudTemplateChoiceSchema } from './cloud';
import { SEND_STATES } from './campaigns';
import {
  ApiBatchInputSchema,
  ApiBatchItemSchema,
  ApiKeySchema,
  ApiListInputSchema,
  ApiMessageSchema,
  ApiRequestLogSchema,
  ApiScopeSchema,
  ApiSendInputSchema,
  IdempotencyKeySchema,
  WebhookDeliverySchema,
  WebhookInputSchema,
  WebhookSchema,
} from './api';
import { command } from './command-spec';
import { segmentCommands, segmentEvents } from './contract-segments';
import { contactCommands } from './contract-contacts';
import { cloudCommands } from './contract-cloud';
import { conversationCommands } from './contract-conversations';

export type { CommandSpec } from './command-spec';

const Empty = z.object({}).strict();

const BackupContentsSchema = z.object({
  schemaVersion: z.number().int(),
  contacts: z.number().int(),
  lists: z.number().int(),
  campaigns: z.number().int(),
  lastCampaignAt: z.number().nullable(),
  unfinishedCampaigns: z.number().int(),
  takenAt: z.number().nullable(),
  apiKeys: z.array(z.object({ id: z.number().int(), name: z.string(), scope: z.string(), revoked: z.boolean() })),
  webhooks: z.array(z.object({ id: z.number().int(), url: z.string(), active: z.boolean() })),
});

/**
 * Every command the UI (or a user's automation over HTTP) can call. Served identically over Electron IPC and
 * `POST /api/<name>`; each input is validated before its handler runs.
 */
export const commands = {
  'app.info': command('Name, version, mode and where the data lives. No side effects.', Empty, AppInfoSchema),
  'app.storage': command('Whether the data folder\'s disk is full (then sending waits), and its free bytes. No side effects.', Empty, StorageStatusSchema),
  'app.diagnostics': command(
    'Saves a zip for support: app and system versions, the browser, each number\'s state and WhatsApp Web version, the engine\'s counters and recent logs, with phones and message texts masked. Download it at `url`.',
    Empty,
    DownloadSchema,
  ),
  'updates.status': command('Where the app\'s own updates stand: up to date, a new version available or downloading, ready to install on quit, or why the check failed. No side effects.', Empty, UpdateStatusSchema),
  'updates.check': command('Looks at the update feed now (the desktop app then downloads a newer version in the background); pushes `updates.changed`.', Empty, UpdateStatusSchema),
  'updates.restart': command(
    'Desktop app: restarts now to install the downloaded update. Errors: busy_sending (a campaign is sending: pause it or let it finish; it installs on quit anyway), illegal_transition (nothing ready), not_available (web mode).',
    Empty,
    UpdateStatusSchema,
  ),
  'settings.get': command('The current settings (defaults filled in). No side effects.', Empty, SettingsSchema),
  'settings.update': command(
    'Changes some settings and returns all of them; pushes `settings.changed`. Errors: invalid_input.',
    SettingsPatchSchema,
    SettingsSchema,
  ),
  'settings.chooseBrowser': command(
    'Chooses the browser WhatsApp Web runs in through the native file dialog of the desktop app (a renderer never names a program to run), or goes back to finding one (`reset`). Errors: not_available (web mode: start it with --browser), browser_invalid.',
    z.object({ reset: z.boolean().optional() }).strict(),
    SettingsSchema,
  ),
  'numbers.list': command('Every linked (or linking) number with its live state. No side effects.', Empty, z.array(NumberViewSchema)),
  'numbers.add': command(
    'Adds a number and starts linking it (a QR follows in `numbers.changed`); demo numbers run on the simulator. Cloud API numbers are added with `cloud.add`.',
    z.object({ kind: z.enum(['real', 'demo']), label: LabelSchema.optional() }).strict(),
    NumberViewSchema,
  ),
  'numbers.rename': command(
    'Changes the label of a number. Errors: not_found.',
    z.object({ id: NumberIdSchema, label: LabelSchema }).strict(),
    NumberViewSchema,
  ),
  'numbers.requestPairingCode': command(
    'Links a number waiting for a QR by its phone number instead: the 8-character code to type on the phone (WhatsApp → Linked devices → Link with phone number). Also shown as `pairingCode` in `numbers.changed`. Errors: not_found, not_waiting_for_qr, invalid_input (phone).',
    z.object({ id: NumberIdSchema, phone: z.string().trim().min(8).max(25) }).strict(),
    z.object({ code: z.string() }),
  ),
  'numbers.showWindow': command(
    'Restarts a linked-by-phone number with its WhatsApp Web window shown, to complete a passkey WhatsApp asks for while linking with the browser\'s own prompt; it runs unseen again once ready. Errors: not_found, not_available (a demo or Cloud API number).',
    z.object({ id: NumberIdSchema }).strict(),
    NumberViewSchema,
  ),
  'numbers.reconnect': command(
    'Restarts the session of a number (after an error, a logout or a conflict); a QR follows if it is not linked. Errors: not_found.',
    z.object({ id: NumberIdSchema }).strict(),
    NumberViewSchema,
  ),
  'numbers.remove': command(
    'Unlinks a number: logs out of WhatsApp, deletes its session folder, removes it from the list. Errors: not_found.',
    z.object({ id: NumberIdSchema }).strict(),
    z.object({ id: NumberIdSchema }),
  ),
  'numbers.simulateScan': command(
    'Demo numbers only: acts as if the phone scanned the QR. Errors: not_found, not_demo, not_waiting_for_qr.',
    z.object({ id: NumberIdSchema }).strict(),
    NumberViewSchema,
  ),

  'numbers.simulateFault': command(
    'Demo numbers only: the number meets one of the problems real WhatsApp has (see SIM_FAULTS), to see what the app does. Errors: not_found, not_demo.',
    z.object({ id: NumberIdSchema, fault: SimFaultSchema }).strict(),
    z.object({ id: NumberIdSchema }),
  ),
  'numbers.simulateReply': command(
    'Demo numbers only: a contact writes back (e.g. CANCELAR), as on WhatsApp; `media`: with a photo, a voice note or a PDF (`body` is its caption). Errors: not_found, not_demo, invalid_input.',
    z.object({ id: NumberIdSchema, phone: z.string().min(1).max(40), body: z.string().max(1000), media: z.enum(['image', 'audio', 'document']).optional() }).strict().refine((v) => v.body.trim() !== '' || v.media !== undefined, { message: 'a reply needs text or a file', path: ['body'] }),
    z.object({ chatId: z.string() }),
  ),

  ...contactCommands,
  'media.add': command(
    'Checks an uploaded file by its bytes and keeps it as an attachment. Errors: upload_not_found, media_unsupported, media_too_large (field: the limit in MB).',
    z.object({ uploadId: z.string().max(64) }).strict(),
    MediaViewSchema,
  ),
  'templates.list': command(
    'Saved messages (kind `message`, the default) or saved answers (kind `answer`, picked with "/" in a chat), newest first. No side effects.',
    z.object({ kind: TemplateKindSchema.default('message') }).strict(),
    z.array(TemplateSchema),
  ),
  'templates.save': command(
    'Creates (no id) or updates a saved message or saved answer (`kind`, fixed when it is created). Errors: not_found.',
    z.object({ id: TemplateIdSchema.optional(), kind: TemplateKindSchema.optional(), name: z.string().trim().min(1).max(80), body: BodySchema, mediaId: MediaIdSchema.nullable() }).strict(),
    TemplateSchema,
  ),
  'templates.duplicate': command('Copies a saved message. Errors: not_found.', z.object({ id: TemplateIdSchema }).strict(), TemplateSchema),
  'templates.delete': command('Deletes a saved message; campaigns keep their own copy. Errors: not_found.', z.object({ id: TemplateIdSchema }).strict(), z.object({ id: TemplateIdSchema })),
  'messages.analyze': command(
    'Edit-time check of a message: errors with positions, good-practice checks with fixes, a score, the fields available.',
    z.object({ body: BodySchema }).strict(),
    AnalysisSchema,
  ),
  'messages.preview': command(
    'The message as given contacts (or a few random ones of a list who will receive it, or sample data) will receive it; with lists, how many of their contacts lack a field it needs. No side effects.',
    PreviewInputSchema,
    z.object({
      items: z.array(PreviewItemSchema),
      errors: z.array(TemplateErrorSchema),
      /** With lists: how many of their contacts may receive it, and how many lack each field it needs (they are skipped). */
      coverage: z.object({ total: z.number().int(), missing: z.array(z.object({ field: z.string(), count: z.number().int() })) }).nullable(),
    }),
  ),
  'messages.testSend': command(
    'Sends the message once to a number of the user through a linked number (from a Cloud API number: the approved template given in `cloud`); receipts follow in `messages.testStatus`. Errors: invalid_input (to), not_found (media), no_connected_number, template_invalid, cloud_template_not_approved.',
    z
      .object({
        numberId: NumberIdSchema,
        to: z.string().min(1).max(40),
        body: BodySchema,
        mediaId: MediaIdSchema.nullable(),
        contactId: ContactIdSchema.nullable().optional(),
        /** From a Cloud API number: the approved template and its fields, as the campaign will send it. */
        cloud: CloudTemplateChoiceSchema.optional(),
      })
      .strict(),
    TestSendSchema,
  ),

  'messages.send': command(
    'Sends one message from the user\'s own systems (a contact or a phone; a saved message or a text with fields; an attachment by id or https link) through the same outbox, pace, caps and opt-outs as campaigns, before any campaign. Queued: the answer says when it is expected to go. The same `idempotencyKey` again (even after a restart) answers the first result and sends nothing. Errors: invalid_input, not_found, opted_out, not_on_whatsapp, missing_field, template_invalid, no_numbers, idempotency_conflict (the key was used for another request), media_url_refused, media_fetch_failed, media_unsupported, media_too_large.',
    ApiSendInputSchema,
    ApiMessageSchema,
  ),
  'messages.sendBatch': command(
    'Sends up to 500 messages as `messages.send` does, each with its own idempotency key; one refused (opted out, unknown contact) is said in its item and the others go on. A malformed item refuses the batch before anything is sent. Errors: invalid_input.',
    ApiBatchInputSchema,
    z.object({ items: z.array(ApiBatchItemSchema) }),
  ),
  'messages.status': command(
    'A message sent through the API, by its id or its idempotency key: queued (with when it is expected), sending, sent, delivered, read or failed (with why). Errors: not_found.',
    z.object({ id: z.number().int().positive().optional(), idempotencyKey: IdempotencyKeySchema.optional() }).strict().refine((v) => (v.id === undefined) !== (v.idempotencyKey === undefined), { message: 'give id or idempotencyKey', path: ['id'] }),
    ApiMessageSchema,
  ),
  'messages.list': command(
    'Messages sent through the API, newest first, optionally of one state. No side effects.',
    ApiListInputSchema,
    z.object({ total: z.number().int(), rows: z.array(ApiMessageSchema) }),
  ),
  'apiKeys.list': command('The API keys (never the keys themselves: their first characters), revoked ones last. No side effects.', Empty, z.array(ApiKeySchema)),
  'apiKeys.create': command(
    'Makes an API key for the user\'s automation, with a name and what it may do (`send`: send and read statuses; `all`: every command). The key is in this answer only. Only the UI may call it.',
    z.object({ name: z.string().trim().min(1).max(80), scope: ApiScopeSchema }).strict(),
    z.object({ key: ApiKeySchema, secret: z.string() }),
  ),
  'apiKeys.revoke': command('Revokes an API key for good: requests with it are refused from now on. Errors: not_found.', z.object({ id: z.number().int().positive() }).strict(), ApiKeySchema),
  'apiKeys.log': command('The latest requests made with API keys: which key, which command, how it ended (no key, no body). No side effects.', z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(), z.array(ApiRequestLogSchema)),
  'webhooks.list': command('The webhooks, with how many deliveries wait or were given up. No side effects.', Empty, z.array(WebhookSchema)),
  'webhooks.create': command(
    'Registers a URL of the user\'s system (https; plain http only on this machine; an address of the local network only with `allowLan: true`, never link-local or metadata addresses) for some events. Each delivery is a POST of JSON signed with the secret in this answer (shown once): header `X-WhatzMe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. Errors: invalid_input (url), url_needs_https, url_refused.',
    WebhookInputSchema,
    z.object({ webhook: WebhookSchema, secret: z.string() }),
  ),
  'webhooks.setActive': command('Turns a webhook off (nothing more is queued for it) or on again. Errors: not_found.', z.object({ id: z.number().int().positive(), active: z.boolean() }).strict(), WebhookSchema),
  'webhooks.remove': command('Deletes a webhook and its queue. Errors: not_found.', z.object({ id: z.number().int().positive() }).strict(), z.object({ id: z.number().int() })),
  'webhooks.ping': command('Queues a `ping` event to one webhook, to check the user\'s system receives and verifies it. Errors: not_found.', z.object({ id: z.number().int().positive() }).strict(), z.object({ deliveryId: z.number().int() })),
  'webhooks.deliveries': command(
    'The latest deliveries, newest first, each with every attempt (when, the HTTP status or the error). No side effects.',
    z.object({ webhookId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    z.array(WebhookDeliverySchema),
  ),

  'inbox.list': command(
    'Replies from contacts, newest first, filtered by campaign, number, unhandled or opt-outs. No side effects.',
    InboxFilterSchema.extend({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(200) }).strict(),
    z.object({ total: z.number().int(), rows: z.array(ReplySchema) }),
  ),
  'inbox.setHandled': command(
    'Marks replies as handled (or not). Pushes `inbox.changed`.',
    z.object({ ids: z.array(z.number().int()).min(1).max(1000), handled: z.boolean() }).strict(),
    z.object({ changed: z.number().int() }),
  ),
  'inbox.decide': command(
    'Settles a reply the opt-out matcher found doubtful: an opt-out (recorded, queued sends to the contact skipped) or not. Pushes `inbox.changed`. Errors: not_found.',
    z.object({ id: z.number().int(), optOut: z.boolean() }).strict(),
    z.object({ ok: z.literal(true) }),
  ),
  'health.get': command(
    "Each number's health (0-100 over the last 7 and 30 days, every factor, the one thing to do next) and its month against the budget of unanswered messages. No side effects.",
    Empty,
    z.array(NumberHealthSchema),
  ),
  'health.setBudget': command(
    "Sets a number's monthly budget of messages to people who never answered (null: back to the default). The pacer keeps it from the next send. Errors: not_found.",
    z.object({ numberId: NumberIdSchema, budget: z.number().int().min(BUDGET_LIMITS.min).max(BUDGET_LIMITS.max).nullable() }).strict(),
    NumberHealthSchema,
  ),
  ...cloudCommands,
  ...conversationCommands,
  'dashboard.get': command('Today at a glance: sends per number against its cap, running campaigns, new replies, warnings. No side effects.', Empty, DashboardSchema),

  'reports.get': command('What a campaign achieved: figures, failures and skips by reason, per number, a timeline. Errors: not_found.', z.object({ id: CampaignIdSchema }).strict(), ReportSchema),
  'reports.rows': command(
    'One page of the per-contact table of a campaign, optionally by state. Errors: not_found.',
    z.object({ id: CampaignIdSchema, state: z.enum(SEND_STATES).nullable().optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }).strict(),
    z.object({ total: z.number().int(), rows: z.array(ReportRowSchema) }),
  ),
  'reports.export': command(
    'The per-contact table (XLSX: with a summary sheet) with headers in the UI language, to download. Errors: not_found.',
    z.object({ id: CampaignIdSchema, state: z.enum(SEND_STATES).nullable().optional(), format: z.enum(['csv', 'xlsx']) }).strict(),
    DownloadSchema,
  ),

  'backup.create': command(
    'A consistent copy of the whole database, taken while the app runs, to download.',
    Empty,
    DownloadSchema,
  ),
  'backup.inspect': command(
    'Checks an uploaded backup and says what it holds, without touching anything (the restore asks with these figures): its campaigns still under way (they come back paused), about when it was taken, and its API keys and webhooks (none come back unless picked). Refuses a file the app did not write: a table or column missing, a row of another shape. Errors: upload_not_found, backup_invalid, backup_too_new.',
    z.object({ uploadId: z.string().max(64) }).strict(),
    BackupContentsSchema,
  ),
  'backup.restore': command(
    'Replaces all data with an uploaded backup, read as data (the app\'s own schema; settings checked, never the browser or the API\'s network address), built aside and swapped in whole; needs `confirm: true`. The live history (numbers, campaigns and their sends, opt-outs, replies) stays. Campaigns only the backup knew that were under way come back paused until the user confirms (`held`), and each of their messages is asked of WhatsApp before it goes. `apiKeyIds`/`webhookIds`: the backup\'s keys and webhooks to bring back. Sending stops and restarts around it; refused while an import runs. Errors: upload_not_found, backup_invalid, backup_too_new, import_busy.',
    z
      .object({ uploadId: z.string().max(64), confirm: z.literal(true), apiKeyIds: z.array(z.number().int()).max(500).optional(), webhookIds: z.array(z.number().int()).max(500).optional() })
      .strict(),
    z.object({
      schemaVersion: z.number().int(),
      held: z.array(z.object({ id: CampaignIdSchema, name: z.string(), pending: z.number().int(), inDoubt: z.number().int() })),
      takenAt: z.number().nullable(),
      /** Webhooks brought back whose secret the backup did not hold: the new secret, shown once, for the user's system. */
      newWebhookSecrets: z.array(z.object({ url: z.string(), secret: z.string() })),
    }),
  ),

  'campaigns.list': command('Every campaign with its state, counts and dates, newest first. No side effects.', Empty, z.array(CampaignViewSchema)),
  'campaigns.get': command('One campaign. Errors: not_found.', z.object({ id: CampaignIdSchema }).strict(), CampaignViewSchema),
  'campaigns.progress': command('The live view of a campaign (also pushed as `campaigns.progress`). Errors: not_found.', z.object({ id: CampaignIdSchema }).strict(), ProgressSchema),
  'campaigns.estimate': command(
    'What a campaign would do: messages, skipped contacts by reason, estimated finish, risk with reasons. No side effects.',
    CampaignInputSchema,
    EstimateSchema,
  ),
  'campaigns.create': command('Saves a draft campaign with its own copy of the message. Errors: template_invalid, not_found.', CampaignInputSchema, CampaignViewSchema),
  'campaigns.launch': command(
    'Fills the outbox (every contact\'s text rendered now) and starts, or schedules, the campaign. Contacts without a recorded consent need `confirmNoConsent: true` (the estimate counts them). Errors: not_found, illegal_transition, nothing_to_send, needs_confirmation.',
    z.object({ id: CampaignIdSchema, confirmNoConsent: z.boolean().optional() }).strict(),
    CampaignViewSchema,
  ),
  'campaigns.pause': command('Pauses a running or scheduled campaign. Errors: not_found, illegal_transition.', z.object({ id: CampaignIdSchema }).strict(), CampaignViewSchema),
  'campaigns.resume': command(
    'Resumes a paused campaign; after an automatic brake it needs `confirm: true`; one paused before its scheduled start waits for it again. Errors: not_found, illegal_transition (not paused), needs_confirmation, no_numbers.',
    z.object({ id: CampaignIdSchema, confirm: z.boolean().optional() }).strict(),
    CampaignViewSchema,
  ),
  'campaigns.cancel': command('Cancels a campaign: waiting messages are not sent. Errors: not_found, illegal_transition.', z.object({ id: CampaignIdSchema }).strict(), CampaignViewSchema),
  'campaigns.settleDoubt': command(
    'Settles a send left in doubt once the user has checked that chat on their phone: received → sent; not received → queued to go again (failed if the campaign is over). Errors: not_found, illegal_transition (not in doubt).',
    z.object({ id: CampaignIdSchema, sendId: z.number().int().positive(), received: z.boolean() }).strict(),
    z.object({ state: z.enum(SEND_STATES) }),
  ),
  ...segmentCommands,
} as const;

/** Events pushed from the main process to every open UI. */
export const events = {
  'settings.changed': SettingsSchema,
  /** A number was added, changed state, showed a new QR, or was renamed. */
  'numbers.changed': NumberViewSchema,
  'numbers.removed': z.object({ id: NumberIdSchema }),
  'contacts.importProgress': ImportProgressSchema,
  'contacts.importFinished': ImportFinishedSchema,
  /** Contacts or lists changed in bulk (an import, a check, an opt-out reply): views refetch. */
  'contacts.changed': z.object({ reason: z.enum(['import', 'check', 'edit', 'opt_out', 'lists']) }),
  'contacts.checkProgress': CheckProgressSchema,
  'messages.testStatus': TestSendSchema,
  /** A campaign's live view, at most a few times a second. */
  'campaigns.progress': ProgressSchema,
  /** A conversation changed: a reply, an answer or its receipt, read, handled, labelled (`phone`: whose; null: several). */
  'conversations.changed': z.object({ phone: z.string().nullable(), reason: z.enum(['reply', 'answer', 'receipt', 'read', 'handled', 'edit']) }),
  /** A reply came in (the inbox changed). */
  'inbox.changed': z.object({ reason: z.enum(['reply', 'opt_out']) }),
  /** The app's own updates: checking, a new version, its download, ready to install, or an error. */
  'updates.changed': UpdateStatusSchema,
  /** A message sent through the API changed state (the UI's list of API sends refreshes). */
  'messages.apiChanged': z.object({ id: z.number().int() }),
  /** The data folder's disk filled up (sending waits) or has room again (sending goes on by itself). */
  'app.storage': StorageStatusSchema,
  ...segmentEvents,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>;
export type CommandArgs<K extends CommandName> = z.output<Commands[K]['input']>;
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
/** What travels on the wire (IPC channel `event`, or one WebSocket frame). */
export type EventEnvelope = { [K in EventName]: { event: K; payload: EventPayload<K> } }[EventName];

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}
/** A command that only reads: its doc says "No side effects" (a repeated request id need not outlive a restart). */
export function isReadOnly(name: CommandName): boolean {
  return commands[name].doc.includes('No side effects');
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
