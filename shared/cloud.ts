import { z } from 'zod';
import { NumberIdSchema, LabelSchema } from './numbers';
import { MediaIdSchema, TemplateIdSchema } from './messages';

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
  /** The business portfolio whose limit this is (Meta sets limits per portfolio since 2025-10-07); null when Meta did not say. */
  portfolioId: z.string().nullable(),
  portfolioName: z.string().nullable(),
  /** The app's other Cloud numbers in the same portfolio: they share this limit. */
  sharedWith: z.array(z.string()),
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

/** A template's button as Meta keeps it: a quick reply, a link (its end may be a {{1}} per contact), a code to copy. */
export const TemplateButtonSchema = z.object({
  type: z.string(),
  text: z.string(),
  url: z.string().nullable(),
  /** A URL ending in {{1}} or a copy-code button: a value is given at each send. */
  dynamic: z.boolean(),
  /** Meta's "Stop promotions" quick reply: a tap is an opt-out from marketing. */
  stopPromotions: z.boolean(),
});
export type TemplateButton = z.infer<typeof TemplateButtonSchema>;

/** "Detener promociones" and "Stop promotions": the quick reply Meta offers marketing templates, in the languages the app writes. */
export const STOP_PROMOTIONS_TEXTS = ['Detener promociones', 'Stop promotions'] as const;
export const STOP_PROMOTIONS_PAYLOAD = 'WHATZME_STOP_PROMOTIONS';

/** Whether a button tap (its text or payload) is "Stop promotions". */
export function isStopPromotions(text: string | null | undefined, payload?: string | null): boolean {
  if (payload === STOP_PROMOTIONS_PAYLOAD) return true;
  const folded = (text ?? '').trim().toLocaleLowerCase('es');
  return STOP_PROMOTIONS_TEXTS.some((t) => t.toLocaleLowerCase('es') === folded);
}
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
  buttons: z.array(TemplateButtonSchema),
  /** A carousel's cards: each a media header, its text and the same buttons; empty for other templates. */
  cards: z.array(z.object({ header: z.enum(['image', 'video']), body: z.string(), buttons: z.array(TemplateButtonSchema) })),
  syncedAt: z.number(),
});
export type WaTemplate = z.infer<typeof WaTemplateSchema>;

/** A button the user adds to a template draft. */
export const DraftButtonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('quick_reply'), text: z.string().trim().min(1).max(25) }).strict(),
  z
    .object({
      kind: z.literal('url'),
      text: z.string().trim().min(1).max(25),
      /** https://…, optionally ending in {{1}}: the rest of the link is given per contact at each send. */
      url: z.url({ protocol: /^https$/ }).max(2000),
      /** What {{1}} could be, for Meta's review. */
      example: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('copy_code'), example: z.string().trim().min(1).max(15) }).strict(),
]);
export type DraftButton = z.infer<typeof DraftButtonSchema>;

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
    /** Up to 10 buttons: quick replies, at most 2 links and 1 code to copy (Meta's limits). */
    buttons: z.array(DraftButtonSchema).max(10).optional(),
    /** A marketing template's "Detener promociones" quick reply (an opt-out from marketing, honoured at once). */
    stopPromotions: z.boolean().optional(),
    /** A carousel: 2–10 saved messages with an image or video each, one card per message, in this order. */
    cards: z.array(TemplateIdSchema).min(2).max(10).optional(),
  })
  .strict();
export type TemplateDraft = z.infer<typeof TemplateDraftSchema>;

/** A template's buttons that take a value at each send: a URL's end ({{1}}) or the code to copy. */
export const ButtonValueSchema = z
  .object({
    index: z.number().int().min(0).max(9),
    /** A contact field (the link's end per contact), or … */
    field: z.string().trim().min(1).max(60).optional(),
    /** … the same text for everyone (a coupon code). */
    text: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((b) => (b.field === undefined) !== (b.text === undefined), 'a field or a text');
export type ButtonValue = z.infer<typeof ButtonValueSchema>;

/** What a campaign on Cloud numbers sends: an approved template, and which contact field fills each {{n}}. */
export const CloudTemplateChoiceSchema = z
  .object({
    templateId: z.number().int().positive(),
    /** params[i] fills {{i+1}}: a contact field (nombre, telefono, or an imported column). */
    params: z.array(z.string().trim().min(1).max(60)).max(20),
    /** A value for each button that takes one, by its position. */
    buttons: z.array(ButtonValueSchema).max(10).optional(),
    /** A carousel's media, one per card in order (files of the app's media library). */
    cardMediaIds: z.array(MediaIdSchema).max(10).optional(),
  })
  .strict();
export type CloudTemplateChoice = z.infer<typeof CloudTemplateChoiceSchema>;

/** A template's text with each {{n}} replaced by what `value` gives for it (`whole`: the {{n}} as written). */
export function fillParams(body: string, value: (n: number, whole: string) => string): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, n: string) => value(Number(n), whole));
}

/** Whether a campaign's choice gives the template all it takes: a field per {{n}}, a value per dynamic button, a file per card. */
export function choiceComplete(template: Pick<WaTemplate, 'params' | 'buttons' | 'cards'>, choice: CloudTemplateChoice): boolean {
  const given = new Set((choice.buttons ?? []).map((b) => b.index));
  return (
    choice.params.length === template.params &&
    choice.params.every((p) => p !== '') &&
    template.buttons.every((b, index) => !b.dynamic || given.has(index)) &&
    template.cards.length === (choice.cardMediaIds ?? []).filter((id) => id !== '').length
  );
}

/**
 * The template's text with each {{n}} as the contact field chosen for it: `Hola {{1}}` → `Hola {{nombre}}` (a
 * parameter without a field yet keeps its number). What the contact gets, the preview and the checks all read it.
 */
export function templateBody(template: Pick<WaTemplate, 'body'>, params: string[]): string {
  return fillParams(template.body, (n) => `{{${params[n - 1] || n}}}`);
}

/** US$ per delivered message, by Meta's category, in one market. */
export const CloudRatesSchema = z
  .object({
    MARKETING: z.number().min(0).max(10),
    UTILITY: z.number().min(0).max(10),
    AUTHENTICATION: z.number().min(0).max(10),
    SERVICE: z.number().min(0).max(10),
  })
  .strict();
export type CloudRates = z.infer<typeof CloudRatesSchema>;

/** A market as Meta's rate card names it: a country (ISO code, as the recipient's phone says) or everyone else. */
export const PriceMarketSchema = z.string().regex(/^([A-Z]{2}|OTHER)$/, 'a country code such as MX');

/**
 * Meta prices per delivered message, by category and by the recipient's country (per-message pricing since
 * 2025-07-01), and revises its rate card: the user keeps it current, and the date says which card it is.
 * Settings stored before #36 held one market's four prices: read as Mexico's (and everyone else's).
 */
export const CloudPricesSchema = z.preprocess(
  (value) => {
    if (value && typeof value === 'object' && 'MARKETING' in value) return { asOf: '2026-01-01', markets: { MX: value, OTHER: value } };
    return value;
  },
  z
    .object({
      /** The rate card's date (YYYY-MM-DD): shown beside every price. */
      asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      markets: z.record(PriceMarketSchema, CloudRatesSchema).refine((m) => 'OTHER' in m, 'a price for other countries'),
    })
    .strict(),
);
export type CloudPrices = z.infer<typeof CloudPricesSchema>;

/**
 * Mexico's rates as the app has shipped them since early 2026 (Meta's rate card), also used for other countries
 * until the user adds theirs. Meta's card from 2026-10-01 was not checked against Meta's own page here: the user
 * updates it in Ajustes (see the note on #36).
 */
const MEXICO_EARLY_2026: CloudRates = { MARKETING: 0.0365, UTILITY: 0.0086, AUTHENTICATION: 0.0086, SERVICE: 0 };
export const DEFAULT_CLOUD_PRICES: CloudPrices = { asOf: '2026-01-01', markets: { MX: MEXICO_EARLY_2026, OTHER: MEXICO_EARLY_2026 } };

/** The price of one delivered message of a category to a market (its country's rates, else other countries'). */
export function priceOf(prices: CloudPrices, category: string, market?: string | null): number {
  const rates = (market ? prices.markets[market] : undefined) ?? prices.markets.OTHER ?? Object.values(prices.markets)[0];
  if (!rates) return 0;
  const key = category.toUpperCase() as keyof CloudRates;
  return rates[key] ?? rates.MARKETING;
}

export const RelayInputSchema = z.object({ numberId: NumberIdSchema, url: z.url({ protocol: /^https?$/ }).max(1000).nullable() }).strict();
