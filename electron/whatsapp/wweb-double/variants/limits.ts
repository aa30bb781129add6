import type { DoubleVariant } from './variant';

const DAY = 86_400_000;

/**
 * A build on an account WhatsApp limits (since 2025; enforced per account from July 2026): the new-chat cap at a
 * warning level or reached, or the reach-out timelock (Baileys PR 2442, whatsmeow 1104 and 1197, waha 2166, 2185,
 * 2186; the modules WAWebIndividualNewChatMessageCappingLimitUtils and WAWebReachoutTimelockUtils of WhatsApp Web).
 */
export function withLimits(variant: DoubleVariant, level: 'first_warning' | 'second_warning' | 'capped' | 'timelock', opts: { total?: number; cycleMs?: number; timelockMs?: number } = {}): DoubleVariant {
  const total = opts.total ?? 100;
  const cycleMs = opts.cycleMs ?? 7 * DAY;
  const used = { first_warning: Math.ceil(total * 0.75), second_warning: Math.ceil(total * 0.9), capped: total, timelock: 0 }[level];
  return {
    ...variant,
    name: `${variant.name}+${level}`,
    limits: level === 'timelock' ? { timelockMs: opts.timelockMs ?? DAY } : { cap: { total, used, cycleMs } },
  };
}
