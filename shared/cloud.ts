import { z } from 'zod';
import { NumberIdSchema, LabelSchema } from './numbers';
import { TemplateIdSchema } from './messages';

/** WhatsApp's official Cloud API (Meta's Graph API): the ids and secrets a number is added with. */
const GraphIdSchema = z.string().trim().regex(/^\d{5,25}$/, 'only digits, as Meta shows it');

export const CloudCredentialsSchema = z
  .object({
    label: LabelSchema.optional(),
    phoneNumberId: GraphIdSchema,
    wabaId: GraphIdSchema,
    /** A system user's permanent token (Business settings → System users), with whatsapp_business_messaging. */
    token: z.string().trim().min(20).max(1000).regex(/^\S+$/, 'a token has no spaces'),
    /** The Meta app's secret (App settings → Basic): signs every webhook Meta sends. */
    appSecret: z.string().trim().regex(/^[0-9a-f]{32}$/i, 'the app secret is 32 letters and digits'),
  })
  .strict();
export type CloudCredentials = z.infer<typeof CloudCredentialsSchema>;

export const QUALITY_RATINGS = ['GREEN', 'YELLOW', 'RED', 'NA'] as const;
/** Meta's messaging limit tiers: how many different people a business may start conversations with per 24 h. */
export const LIMIT_TIERS = { TIER_50: 50, TIER_250: 250, TIER_1K: 1000, TIER_2K: 2000, TIER_10K: 10_000, TIER_100K: 100_000, TIER_UNLIMITED: null } as const;

export const CloudNumberSchema = z.object({
  numberId: NumberIdSchema,
  phoneNumberId: z.string(),
  wabaId: z.string(),
  displayPhone: z.string().nullable(),
  verifiedName: z.string().nullable(),
  qualityRating: z.string().nullable(),
  limitTier: z.string().nullable(),
  /** People per 24 h the tier allows; null when unlimited or not known. */
  dailyLimit: z.number().int().nullable(),
  checkedAt: z.number().nullable(),
  /** What to give Meta (App → WhatsApp → Configuration): the verify token; the URL is the tunnel's, ending in /webhook. */
  verifyToken: z.string(),
  /** The app's own webhook receiver on this computer, for the tunnel to point at. */
  webhookLocalUrl: z.string().nullable(),
  relayUrl: z.string().nullable(),
  appId: z.string().nullable(),
  /** Where the token and the app secret are kept: the system's keychain (desktop app) or a file only this user can read (web mode). */
  secretStore: z.enum(['keychain', 'file']),
  lastWebhookAt: z.number().nullable(),
});
export type CloudNumber = z.infer<typeof CloudNumberSchema>;

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const WaTemplateSchema = z.object({
  id: z.number().int(),
  wabaId: z.string(),
  name: z.string(),
  language: z.string(),
  /** Meta's own: APPROVED, PENDING, REJECTED, PAUSED, DISABLED … */
  status: z.string(),
  category: z.string(),
  body: z.string(),
  /** How many `{{n}}` the body has. */
  params: z.number().int(),
  header: z.enum(['none', 'text', 'image', 'video', 'document']),
  syncedAt: z.number(),
});
export type WaTemplate = z.infer<typeof WaTemplateSchema>;

/** A saved message turned into a template for Meta's review: its fields become {{1}}, {{2}} … with an example each. */
export const TemplateDraftSchema = z
  .object({
    numberId: NumberIdSchema,
    messageId: TemplateIdSchema,
    name: z.string().trim().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _ only'),
    category: z.enum(['MARKETING', 'UTILITY']),
    language: z.string().trim().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as es_MX'),
    /** An example value per field, in the order the fields first appear. */
    examples: z.record(z.string(), z.string().trim().min(1).max(200)),
    /**
     * The Meta app's id (App settings → Basic), for a message with an image, video or document: Meta takes the
     * header's sample through the app's upload endpoint. Kept for the next time.
     */
    appId: GraphIdSchema.optional(),
  })
  .strict();
export type TemplateDraft = z.infer<typeof TemplateDraftSchema>;

/** What a campaign on Cloud numbers sends: an approved template, and which contact field fills each {{n}}. */
export const CloudTemplateChoiceSchema = z
  .object({
    templateId: z.number().int().positive(),
    /** params[i] fills {{i+1}}: a contact field (nombre, telefono, or an imported column). */
    params: z.array(z.string().trim().min(1).max(60)).max(20),
  })
  .strict();
export type CloudTemplateChoice = z.infer<typeof CloudTemplateChoiceSchema>;

/**
 * The template's text with each {{n}} as the contact field chosen for it: `Hola {{1}}` → `Hola {{nombre}}` (a
 * parameter without a field yet keeps its number). What the contact gets, the preview and the checks all read it.
 */
export function templateBody(template: Pick<WaTemplate, 'body'>, params: string[]): string {
  return template.body.replace(/\{\{\s*(\d+)\s*\}\}/g, (_, n: string) => `{{${params[Number(n) - 1] || n}}}`);
}

/** US$ per delivered message, by Meta's category (Settings; Meta revises them: the user keeps them current). */
export const CloudPricesSchema = z
  .object({
    MARKETING: z.number().min(0).max(10),
    UTILITY: z.number().min(0).max(10),
    AUTHENTICATION: z.number().min(0).max(10),
    SERVICE: z.number().min(0).max(10),
  })
  .strict();
export type CloudPrices = z.infer<typeof CloudPricesSchema>;
/** Mexico, early 2026 (Meta's rate card): roughly what a delivered message costs. */
export const DEFAULT_CLOUD_PRICES: CloudPrices = { MARKETING: 0.0365, UTILITY: 0.0086, AUTHENTICATION: 0.0086, SERVICE: 0 };

export const RelayInputSchema = z.object({ numberId: NumberIdSchema, url: z.url({ protocol: /^https?$/ }).max(1000).nullable() }).strict();
