import { z } from 'zod';

/** Stable error codes: the UI turns each into words through `errors.<code>` in renderer/i18n. */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_command',
  'not_found',
  'internal',
  'unauthorized',
  'forbidden',
  'payload_too_large',
  'migration_failed',
  'db_too_new',
  'not_demo',
  'not_waiting_for_qr',
  'file_empty',
  'file_no_data',
  'file_unsupported',
  'file_old_excel',
  'file_corrupt',
  'file_too_wide',
  'upload_not_found',
  'import_not_found',
  'list_exists',
  'tag_exists',
  'segment_exists',
  'no_connected_number',
  'check_running',
  'phone_taken',
  'import_busy',
  'media_unsupported',
  'media_too_large',
  'template_invalid',
  'not_on_whatsapp',
  'send_failed',
  'illegal_transition',
  'needs_confirmation',
  'nothing_to_send',
  'no_numbers',
  'backup_invalid',
  'backup_too_new',
  'data_dir_in_use',
  'db_empty',
  'disk_full',
  'not_available',
  'browser_invalid',
  'opted_out',
  'idempotency_conflict',
  'cloud_window_closed',
  'cloud_media_answer',
  'missing_field',
  'media_fetch_failed',
  'media_url_refused',
  'update_feed_down',
  'update_bad_hash',
  'update_truncated',
  'busy_sending',
  /** The Cloud API refused the token (expired, revoked, or without whatsapp_business_messaging). */
  'cloud_auth',
  /** graph.facebook.com could not be reached. */
  'cloud_unreachable',
  /** Meta refused the request; its own words are in the message. */
  'cloud_refused',
  /** A Cloud campaign needs an approved template, with a field for each of its parameters. */
  'cloud_template_required',
  'cloud_template_not_approved',
  /** Linked phones and Cloud numbers cannot share a campaign (one sends templates, the other free text). */
  'cloud_mixed_numbers',
  'number_exists',
  /** A request id sent again with another command or input (a caller's bug): nothing was done. */
  'request_reused',
  /** The app did not answer (it was closing, or the connection dropped): the UI says so and offers to retry. */
  'connection_lost',
  /** A webhook or relay address over plain http where https is needed. */
  'url_needs_https',
  /** A webhook or relay address the app will not reach: this machine's or the local network's (unless chosen), link-local, metadata. */
  'url_refused',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Dotted path of the offending input field, for `invalid_input`. */
  field: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };
