import { z } from 'zod';

export const NUMBER_KINDS = ['real', 'demo', 'cloud'] as const;
export const NumberKindSchema = z.enum(NUMBER_KINDS);

/** The states a linked number can be in, as the Números page shows them. */
export const NumberStateSchema = z.enum([
  'stopped',
  'connecting',
  'qr',
  'connected',
  'phone_offline',
  'conflict',
  'logged_out',
  'banned',
  'error',
  /** WhatsApp Web changed in a way this version cannot work with: nothing is sent until an update (or a retry) fixes it. */
  'wa_changed',
  /** Linking waits for a passkey WhatsApp asks for ("Continue on WhatsApp Web"), which a hidden browser cannot give. */
  'passkey',
]);
export type NumberStateName = z.infer<typeof NumberStateSchema>;

/** Why a number is in error, so the UI can say what to do (the driver's error codes). */
export const NumberErrorSchema = z.enum([
  'not_on_whatsapp',
  'not_connected',
  'media_too_large',
  'browser_not_found',
  'browser_failed',
  'network',
  'timeout',
  'crashed',
  'ready_timeout',
  'send_failed',
  /** WhatsApp answered "No LID for user" and gave no LID for the contact: retried later, never "not on WhatsApp". */
  'no_lid',
  'unknown',
  /** The Cloud API's own (Meta's error codes, mapped in electron/cloud/cloud-errors.ts). */
  'cloud_auth',
  'cloud_payment',
  'cloud_template',
  'cloud_marketing_limit',
  'cloud_reengagement',
  'cloud_rate_limit',
  'cloud_pair_rate',
  'cloud_spam_limit',
  'cloud_failed',
]);

export const NumberIdSchema = z.string().regex(/^n_[a-z0-9]{6,32}$/, 'not a number id');

/** See shared/wa-limits.ts. */
export const WaLimitsSchema = z.object({
  cap: z.object({ level: z.enum(['none', 'first_warning', 'second_warning', 'capped']), total: z.number().int(), used: z.number().int(), cycleEndsAt: z.number().nullable() }).nullable(),
  timelock: z.object({ active: z.boolean(), endsAt: z.number().nullable(), enforcement: z.string().nullable() }).nullable(),
  readAt: z.number(),
});

export const NumberViewSchema = z.object({
  id: NumberIdSchema,
  label: z.string(),
  kind: NumberKindSchema,
  phone: z.string().nullable(),
  name: z.string().nullable(),
  state: NumberStateSchema,
  error: NumberErrorSchema.nullable(),
  detail: z.string().nullable(),
  /** The QR to scan, while the state is `qr`. */
  qr: z.string().nullable(),
  /** The code to type on the phone, when the user chose to link by phone number (while the state is `qr`). */
  pairingCode: z.string().nullable(),
  linkedAt: z.number().nullable(),
  createdAt: z.number(),
  /** WhatsApp's own limits on reaching people who never wrote, as last read from it (null: never stated). */
  limits: WaLimitsSchema.nullable(),
});
export type NumberView = z.infer<typeof NumberViewSchema>;

/**
 * Problems a demo number can be told to have, so what the app does about them can be seen: a send WhatsApp took
 * but could not confirm (in doubt), a reply from a LID chat, replies while the app was offline (caught up on
 * reconnect), a WhatsApp Web that never finishes loading (the watchdog restarts it), and WhatsApp's limits on
 * reaching new people (its cap's warning, the cap reached, the reach-out timelock).
 */
export const SIM_FAULTS = [
  'in_doubt_next',
  'lid_opt_out',
  'offline_replies',
  'ready_never_comes',
  'opened_elsewhere',
  'unlinked',
  'contacts_block',
  'whatsapp_changed',
  'cap_warning',
  'cap_reached',
  'timelock',
  'passkey',
] as const;
export const SimFaultSchema = z.enum(SIM_FAULTS);
export type SimFault = z.infer<typeof SimFaultSchema>;

export const LabelSchema = z.string().trim().min(1).max(60);
