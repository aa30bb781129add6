import type { CapLevel, WaLimits } from '../../../shared/wa-limits';

/**
 * Page source that reads WhatsApp's limits where WhatsApp Web keeps them (public excerpts of its bundles):
 * WAWebIndividualNewChatMessageCappingLimitUtils.getCappingData() — total_quota, used_quota, cycle_end_timestamp (s),
 * capping_status NONE | FIRST_WARNING | SECOND_WARNING | CAPPED — and WAWebReachoutTimelockUtils, whose state is
 * stored under REACHOUT_TIMELOCK_IDB_KEY in WAWebUserPrefsIndexedDBStorage (enforcement_type, time_enforcement_ends
 * in ms). A module that is absent or not loaded yet answers null: unknown, never an error.
 */
export const READ_LIMITS = `(() => {
  const get = (name) => { try { return window.require(name); } catch (e) { return null; } };
  const capUtils = get('WAWebIndividualNewChatMessageCappingLimitUtils');
  const lockUtils = get('WAWebReachoutTimelockUtils');
  const prefs = get('WAWebUserPrefsIndexedDBStorage');
  let cap = null;
  let timelock = null;
  try {
    const data = capUtils && typeof capUtils.getCappingData === 'function' ? capUtils.getCappingData() : null;
    if (data) cap = { status: String(data.capping_status || 'NONE'), total: Number(data.total_quota) || 0, used: Number(data.used_quota) || 0, cycleEnd: Number(data.cycle_end_timestamp) || 0 };
  } catch (e) {}
  try {
    if (lockUtils && typeof lockUtils.isUserReachoutTimelocked === 'function') {
      const active = !!lockUtils.isUserReachoutTimelocked();
      const key = lockUtils.REACHOUT_TIMELOCK_IDB_KEY || 'WAReachoutTimelockState';
      const data = prefs && prefs.userPrefsIdb ? prefs.userPrefsIdb.get(key) : null;
      timelock = { active, endsAt: data && data.time_enforcement_ends ? Number(data.time_enforcement_ends) : null, enforcement: data && data.enforcement_type ? String(data.enforcement_type) : null };
    }
  } catch (e) {}
  return { cap, timelock };
})()`;

type RawLimits = { cap: { status: string; total: number; used: number; cycleEnd: number } | null; timelock: WaLimits['timelock'] };

const LEVELS: Record<string, CapLevel> = { NONE: 'none', FIRST_WARNING: 'first_warning', SECOND_WARNING: 'second_warning', CAPPED: 'capped' };

/** What the page answered, as the app keeps it; a capping status it does not know is taken as unknown. */
export function limitsOf(raw: unknown, readAt: number): WaLimits {
  const r = (raw ?? {}) as Partial<RawLimits>;
  const level = r.cap ? LEVELS[r.cap.status] : undefined;
  return {
    cap: r.cap && level ? { level, total: r.cap.total, used: r.cap.used, cycleEndsAt: r.cap.cycleEnd > 0 ? r.cap.cycleEnd * 1000 : null } : null,
    timelock: r.timelock ?? null,
    readAt,
  };
}

export const LIMITS_BINDING = '__whatzmeLimitsChanged';

/**
 * Page source that tells the driver when WhatsApp Web's capping state changes (the `WAWebCmd` event its capping
 * notification handler fires, `individualNewChatMessageCappingStateChange`); registered once per page load.
 */
export const WATCH_LIMITS = `(() => {
  if (window.__whatzmeLimitsWatched || typeof window.${LIMITS_BINDING} !== 'function') return false;
  try {
    window.require('WAWebCmd').Cmd.on('individualNewChatMessageCappingStateChange', () => window.${LIMITS_BINDING}());
    window.__whatzmeLimitsWatched = true;
    return true;
  } catch (e) {
    return false;
  }
})()`;
