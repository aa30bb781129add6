import { z } from 'zod';
import { NumberIdSchema } from './numbers';

export const HEALTH_FACTORS = ['replies', 'opt_outs', 'failures', 'not_on_whatsapp', 'one_tick', 'budget'] as const;
export const HEALTH_ADVICE = ['keep_going', 'slow_down', 'pause_two_days', 'review_message', 'clean_list', 'wait_next_month'] as const;

/** One factor of a number's health: its rate over the window, and the points it takes off (of its most). */
export const HealthFactorSchema = z.object({ key: z.enum(HEALTH_FACTORS), rate: z.number(), penalty: z.number().int(), max: z.number().int() });

/** A number's health over a window: 0–100 (null with too few messages to tell), its factors, the thing to do next. */
export const HealthSchema = z.object({ score: z.number().int().nullable(), factors: z.array(HealthFactorSchema), advice: z.enum(HEALTH_ADVICE).nullable() });
export type HealthView = z.infer<typeof HealthSchema>;

/** A number's month against its budget of messages to people who never answered (WhatsApp's monthly cap). */
export const NumberMonthSchema = z.object({
  unanswered: z.number().int(),
  budget: z.number().int(),
  /** The user set this number's budget (otherwise it is the default). */
  ownBudget: z.boolean(),
  /** At or over 80 % of the budget: the app warns as WhatsApp's own pop-up does. */
  near: z.boolean(),
  /** When the count starts again (the next month, local midnight). */
  monthEnd: z.number(),
});

export const NumberHealthSchema = z.object({
  numberId: NumberIdSchema,
  label: z.string(),
  month: NumberMonthSchema,
  last7: HealthSchema,
  last30: HealthSchema,
});
export type NumberHealth = z.infer<typeof NumberHealthSchema>;

export const BUDGET_LIMITS = { min: 50, max: 30_000, default: 3000 } as const;
