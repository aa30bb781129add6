/**
 * What WhatsApp itself states about a number's limits on reaching people who never wrote to it (read from WhatsApp
 * Web: the new-chat cap of WAWebIndividualNewChatMessageCappingLimitUtils and the reach-out timelock of
 * WAWebReachoutTimelockUtils). A part WhatsApp Web did not state (module absent or not loaded, no data) is null:
 * unknown, and the app's own estimate (health/unanswered.ts) applies.
 */
export type CapLevel = 'none' | 'first_warning' | 'second_warning' | 'capped';
export type NewChatCap = { level: CapLevel; total: number; used: number; cycleEndsAt: number | null };
export type ReachoutTimelock = { active: boolean; endsAt: number | null; enforcement: string | null };
export type WaLimits = { cap: NewChatCap | null; timelock: ReachoutTimelock | null; readAt: number };

/** Why a number may not write to a new person now, and until when (null: WhatsApp gave no end). */
export type LimitHold = { reason: 'new_chat_cap' | 'timelock'; until: number | null };

/**
 * A limit's end as the app waits for it: a little after the time WhatsApp gave (whole seconds, and its server's clock
 * is not ours): a message sent on the second a cycle ended was still refused (found on the WhatsApp Web double).
 */
export const LIMIT_END_MARGIN_MS = 2 * 60_000;

/**
 * The limit that holds at `now`, if any: a timelock before a cap (it is the stricter one). `graceMs`: a limit that
 * ended less than that long ago still counts (to explain a refusal that was on its way).
 */
export function heldBy(limits: WaLimits | null, now: number, graceMs = 0): LimitHold | null {
  const end = (at: number | null) => (at === null ? null : at + LIMIT_END_MARGIN_MS);
  const lock = limits?.timelock;
  const lockEnd = lock ? end(lock.endsAt) : null;
  if (lock?.active && (lockEnd === null || lockEnd + graceMs > now)) return { reason: 'timelock', until: lockEnd };
  const cap = limits?.cap;
  // WhatsApp Web ends a cycle by its own clock too (isUserCapped: now > cycle_end_timestamp → not capped).
  const capEnd = cap ? end(cap.cycleEndsAt) : null;
  if (cap?.level === 'capped' && (capEnd === null || capEnd + graceMs > now)) return { reason: 'new_chat_cap', until: capEnd };
  return null;
}

/** At a warning level the cap is near: messages to new people go slower (the wait between them is multiplied). */
export function coldPaceFactor(limits: WaLimits | null, now: number): number {
  const cap = limits?.cap;
  if (!cap || (cap.cycleEndsAt !== null && cap.cycleEndsAt <= now)) return 1;
  return cap.level === 'second_warning' ? 6 : cap.level === 'first_warning' ? 3 : 1;
}
