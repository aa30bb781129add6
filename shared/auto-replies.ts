import { z } from 'zod';

export const AUTO_REPLY_RULES = ['away', 'greeting', 'keyword'] as const;

export const KeywordAnswerSchema = z.object({
  /** Words or phrases that trigger it, matched whole and without accents ("precio", "cuánto cuesta"). */
  words: z.array(z.string().trim().min(2).max(40)).min(1).max(20),
  text: z.string().trim().min(1).max(1000),
});

/** Auto-replies, off by default; each rule answers a contact at most once per `periodHours`. */
export const AutoRepliesSchema = z.object({
  enabled: z.boolean(),
  periodHours: z.number().int().min(1).max(24 * 30),
  away: z.object({
    enabled: z.boolean(),
    text: z.string().trim().min(1).max(1000),
    /** Business hours, in the app's time zone: outside them the away message goes. */
    days: z.array(z.number().int().min(0).max(6)).min(1),
    from: z.string().regex(/^\d{2}:\d{2}$/),
    to: z.string().regex(/^\d{2}:\d{2}$/),
  }),
  greeting: z.object({ enabled: z.boolean(), text: z.string().trim().min(1).max(1000) }),
  keywords: z.array(KeywordAnswerSchema).max(30),
});
export type AutoReplies = z.infer<typeof AutoRepliesSchema>;

/** Off by default: the user writes them in their own words before any goes. */
export const DEFAULT_AUTO_REPLIES: AutoReplies = {
  enabled: false,
  periodHours: 24,
  away: {
    enabled: false,
    text: 'Gracias por escribirnos. Ahora estamos fuera de horario (lunes a viernes de 9:00 a 18:00); te respondemos en cuanto abramos.',
    days: [1, 2, 3, 4, 5],
    from: '09:00',
    to: '18:00',
  },
  greeting: { enabled: false, text: '¡Hola! Gracias por escribirnos. En un momento te atiende una persona.' },
  keywords: [],
};
