import { z } from 'zod';
import { isTimeZone } from './time-zone';
import { CloudPricesSchema } from './cloud';
import { AutoRepliesSchema } from './auto-replies';

export const LANGUAGES = ['es', 'en'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** An IANA time zone name such as `America/Mexico_City`; checked against the runtime's zone database. */
export const TimeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, { message: 'unknown time zone' });

export const SettingsSchema = z.object({
  language: LanguageSchema,
  timeZone: TimeZoneSchema,
  /** A Chrome/Edge/Chromium executable chosen by the user; null = look in the usual places. */
  browserPath: z.string().max(1024).nullable(),
  /** A reply whose whole text is one of these (ignoring case, accents and punctuation) is an opt-out. */
  optOutWords: z.array(z.string().trim().min(1).max(40)).min(1).max(50),
  /** Answer an opt-out with a confirmation, and with what. */
  optOutReplyEnabled: z.boolean(),
  optOutReply: z.string().trim().min(1).max(500),
  /** Attachments sent by https link (the automation API): the largest file fetched, and how long a fetch may take. */
  mediaLinkLimitMb: z.number().int().min(1).max(100),
  mediaLinkTimeoutS: z.number().int().min(5).max(300),
  /**
   * The automation API also on another address (the user's network), for API keys only; null: only on this computer.
   * 0.0.0.0 is every address of this computer.
   */
  apiNetwork: z.object({ address: z.union([z.ipv4(), z.ipv6()]), port: z.number().int().min(1024).max(65_535) }).strict().nullable(),
  /** Which releases the app updates to: the stable ones, or betas too. */
  updateChannel: z.enum(['stable', 'beta']),
  /** What a delivered Cloud API message costs, by Meta's category (US$), for the estimate and the report. */
  cloudPrices: CloudPricesSchema,
  /** Answers sent by themselves (#33), off by default. */
  autoReplies: AutoRepliesSchema,
  /** Opening a chat marks its messages read on WhatsApp (blue ticks) and shows "escribiendo…" while the user types. */
  chatReceipts: z.boolean(),
  /** A desktop notification for each new reply (in web mode, the browser's). */
  replyNotifications: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What the UI may change; the browser is only ever chosen through `settings.chooseBrowser` (a native dialog). */
export const SettingsPatchSchema = SettingsSchema.omit({ browserPath: true }).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  demo: z.boolean(),
  dataDir: z.string(),
  dbFile: z.string(),
  schemaVersion: z.number().int(),
  platform: z.string(),
  /** Whether the browser for WhatsApp Web can send video: Chromium builds without H.264 cannot (Chrome and Edge can). */
  videoSupport: z.enum(['yes', 'no', 'unknown']),
  /** Where the automation API answers on this machine (http://127.0.0.1:<port>), or null when it is not serving. */
  apiUrl: z.string().nullable(),
  /** The API on the user's network (Settings): where it listens, or why it could not; null when it is off. */
  apiNetwork: z.object({ url: z.string().nullable(), error: z.string().nullable() }).nullable(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const StorageStatusSchema = z.object({ full: z.boolean(), freeBytes: z.number().nullable() });
export type StorageStatus = z.infer<typeof StorageStatusSchema>;

export const UPDATE_CHANNELS = ['stable', 'beta'] as const;

/** Where the app's own updates stand, as Settings and the banner show it. */
export const UpdateStatusSchema = z.object({
  state: z.enum(['idle', 'checking', 'up_to_date', 'available', 'downloading', 'ready', 'error']),
  current: z.string(),
  /** The newer version, its notes (in Spanish, as published) and how much of it is downloaded. */
  version: z.string().nullable(),
  notes: z.string().nullable(),
  progress: z.number().min(0).max(1).nullable(),
  error: z.string().nullable(),
  checkedAt: z.number().nullable(),
  /** `install`: the desktop app downloads and installs on quit; `notify`: web mode only says a new version exists. */
  mode: z.enum(['install', 'notify']),
  /** A campaign is sending: the restart waits (the update installs when the app closes, or once sending ends). */
  sending: z.boolean(),
});
export type UpdateStatus = z.infer<typeof UpdateStatusSchema>;
