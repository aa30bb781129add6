import type { Clock } from '../core/clock';
import type { WaLimits } from '../../shared/wa-limits';

/** WhatsApp Web's capping status values (`WAWebUserPrefsTypes.NewChatMessageCappingStatusType`). */
export type CapStatus = 'NONE' | 'FIRST_WARNING' | 'SECOND_WARNING' | 'CAPPED';

/** The new-chat cap of one account, as WhatsApp's server keeps it (times in ms of the world's clock). */
export type CapState = { total: number; used: number; cycleStart: number; cycleEnd: number; status: CapStatus };
/** `told`: WhatsApp Web has been told (a lock may first show as a refusal, the notification with it). */
export type TimelockState = { endsAt: number; enforcement: string; told: boolean; oneTick: boolean };

/** What the page stores under WhatsApp Web's own user-prefs keys (WAWebIndividualNewChatMessageCappingLimitUtils,
 * WAWebReachoutTimelockUtils: public excerpts of WhatsApp Web's bundles; seconds for the cap, ms for the lock). */
export type LimitsPayload = {
  cap: { total_quota: number; used_quota: number; cycle_start_timestamp: number; cycle_end_timestamp: number; capping_status: CapStatus } | null;
  timelock: { state: 'VISIBLE'; enforcement_type: string; time_enforcement_ends: number } | null;
};

/**
 * The shares of the cap at which WhatsApp warns. WhatsApp does not publish them (its warning banner only names the
 * level: WAWebCappingWarningBanner.react); these are the double's, so the levels can be played.
 */
export const WARN_AT = { first: 0.75, second: 0.9 };

export function capStatusOf(used: number, total: number): CapStatus {
  if (used >= total) return 'CAPPED';
  if (used >= total * WARN_AT.second) return 'SECOND_WARNING';
  if (used >= total * WARN_AT.first) return 'FIRST_WARNING';
  return 'NONE';
}

/**
 * WhatsApp's limits on messages to people who never wrote back, per linked phone: the new-chat cap (a quota per
 * cycle, warning levels, capped) and the reach-out timelock (no new chats until an end time: waha 2166's
 * `timeEnforcementEnds`). A message to such a person while either holds is taken by WhatsApp Web and then ends at
 * ack −1, never delivered (the report of whatsmeow 1197, waha 2185: error 463 on socket clients, ack −1 or one grey
 * tick on WhatsApp Web).
 */
/** Keyed by the phone's own WhatsApp id. */
export class ReachLimits {
  private caps = new Map<string, CapState>();
  private locks = new Map<string, TimelockState>();

  constructor(
    private readonly clock: Clock,
    /** A phone's limits changed: its pages are told (as WhatsApp pushes its capping notification). */
    private readonly changed: (phone: string) => void,
    private readonly alive: () => boolean,
  ) {}

  /** The phone's cap for a cycle of `cycleMs` from now; a new cycle starts by itself when it ends, with nothing used. */
  setCap(phone: string, cap: { total: number; used: number; cycleMs: number }): void {
    const now = this.clock.now();
    const state: CapState = { total: cap.total, used: cap.used, cycleStart: now, cycleEnd: now + cap.cycleMs, status: capStatusOf(cap.used, cap.total) };
    this.caps.set(phone, state);
    this.changed(phone);
    void this.clock.sleep(cap.cycleMs).then(() => {
      if (!this.alive() || this.caps.get(phone) !== state) return;
      this.setCap(phone, { total: cap.total, used: 0, cycleMs: cap.cycleMs });
    });
  }

  /**
   * WhatsApp stops the phone from starting new chats for `ms` (its enforcement type as WhatsApp names it). `quiet`:
   * WhatsApp Web learns it only with the first message it refuses (reports describe sends accepted, then ack −1).
   */
  timelock(phone: string, ms: number, enforcement = 'DEFAULT', quiet = false, oneTick = false): void {
    const state = { endsAt: this.clock.now() + ms, enforcement, told: !quiet, oneTick };
    this.locks.set(phone, state);
    if (state.told) this.changed(phone);
    void this.clock.sleep(ms).then(() => {
      if (!this.alive() || this.locks.get(phone) !== state) return;
      this.locks.delete(phone);
      this.changed(phone);
    });
  }

  /**
   * A message from `phone` to someone who never wrote to it: 'refused' while the phone is capped or timelocked (it
   * then ends at ack −1), else counted against the cap (which may reach the next warning level) and 'taken'.
   */
  coldSend(phone: string): 'taken' | 'refused' | 'unanswered' {
    const lock = this.locks.get(phone);
    if (lock) {
      if (!lock.told) {
        lock.told = true;
        this.changed(phone);
      }
      // The other way such a message ends on WhatsApp Web: one grey tick forever (waha 2185).
      return lock.oneTick ? 'unanswered' : 'refused';
    }
    const cap = this.caps.get(phone);
    if (!cap) return 'taken';
    if (cap.status === 'CAPPED') return 'refused';
    cap.used += 1;
    const status = capStatusOf(cap.used, cap.total);
    cap.status = status;
    this.changed(phone);
    return 'taken';
  }

  payload(phone: string): LimitsPayload {
    const cap = this.caps.get(phone);
    const lock = this.locks.get(phone);
    return {
      cap: cap
        ? { total_quota: cap.total, used_quota: cap.used, cycle_start_timestamp: Math.floor(cap.cycleStart / 1000), cycle_end_timestamp: Math.floor(cap.cycleEnd / 1000), capping_status: cap.status }
        : null,
      timelock: lock?.told ? { state: 'VISIBLE', enforcement_type: lock.enforcement, time_enforcement_ends: lock.endsAt } : null,
    };
  }
}

const LEVELS = { NONE: 'none', FIRST_WARNING: 'first_warning', SECOND_WARNING: 'second_warning', CAPPED: 'capped' } as const;

/** The limits as the app keeps them, from what WhatsApp Web stores (the simulator answers `limits()` with this). */
export function waLimitsOf(p: LimitsPayload, readAt: number): WaLimits {
  return {
    cap: p.cap ? { level: LEVELS[p.cap.capping_status], total: p.cap.total_quota, used: p.cap.used_quota, cycleEndsAt: p.cap.cycle_end_timestamp * 1000 } : null,
    timelock: p.timelock ? { active: true, endsAt: p.timelock.time_enforcement_ends, enforcement: p.timelock.enforcement_type } : { active: false, endsAt: null, enforcement: null },
    readAt,
  };
}
