import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Db } from '../db';
import { heldBy, type WaLimits } from '../../shared/wa-limits';
import type { WhatsAppDriver } from './driver';

type Row = {
  cap_level: string | null;
  cap_total: number | null;
  cap_used: number | null;
  cap_cycle_end: number | null;
  timelock_active: number | null;
  timelock_end: number | null;
  timelock_enforcement: string | null;
  read_at: number;
};

/** A limit shows in WhatsApp Web after the messages that met it (with the refusals): this long before is its own. */
export const LIMIT_SEEN_LATE_MS = 10 * 60_000;

/** How often a sending number asks WhatsApp again (besides on `ready` and after a message WhatsApp refused). */
export const LIMITS_MAX_AGE_MS = 60_000;

/**
 * Each number's limits as WhatsApp last stated them (table number_limits), read from the driver after `ready`,
 * before a campaign's turn when older than a minute, and at once after a refused message. Kept so every screen and
 * a restart know them.
 */
export class WaLimitsStore {
  private cache = new Map<string, WaLimits | null>();
  private reading = new Map<string, Promise<WaLimits | null>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Told when a number's limits changed (the numbers list and campaigns show them). */
    private readonly changed: (numberId: string) => void = () => undefined,
  ) {}

  get(numberId: string): WaLimits | null {
    if (!this.cache.has(numberId)) {
      const row = this.db.prepare('SELECT * FROM number_limits WHERE number_id = ?').get(numberId) as Row | undefined;
      this.cache.set(numberId, row ? fromRow(row) : null);
    }
    return this.cache.get(numberId) ?? null;
  }

  /** Asks the driver when what is known is older than `maxAgeMs` (0: now); a failed read keeps what was known. */
  async refresh(numberId: string, driver: WhatsAppDriver, maxAgeMs = LIMITS_MAX_AGE_MS): Promise<WaLimits | null> {
    const known = this.get(numberId);
    if (!driver.limits || (known && maxAgeMs > 0 && this.clock.now() - known.readAt < maxAgeMs)) return known;
    let pending = this.reading.get(numberId);
    if (!pending) {
      pending = driver
        .limits()
        .then((limits) => {
          this.save(numberId, limits);
          return limits;
        })
        .catch((error: unknown) => {
          this.logger.info({ err: error, numberId }, "WhatsApp's limits not read");
          return known;
        })
        .finally(() => this.reading.delete(numberId));
      this.reading.set(numberId, pending);
    }
    return pending;
  }

  save(numberId: string, limits: WaLimits): void {
    const known = this.get(numberId);
    const before = JSON.stringify({ ...known, readAt: 0 });
    const wasHeld = heldBy(known, limits.readAt) !== null;
    const isHeld = heldBy(limits, limits.readAt) !== null;
    const { cap, timelock } = limits;
    this.db
      .prepare(
        `INSERT INTO number_limits (number_id, cap_level, cap_total, cap_used, cap_cycle_end, timelock_active, timelock_end, timelock_enforcement, read_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (number_id) DO UPDATE SET cap_level = excluded.cap_level, cap_total = excluded.cap_total, cap_used = excluded.cap_used,
           cap_cycle_end = excluded.cap_cycle_end, timelock_active = excluded.timelock_active, timelock_end = excluded.timelock_end,
           timelock_enforcement = excluded.timelock_enforcement, read_at = excluded.read_at`,
      )
      .run(numberId, cap?.level ?? null, cap?.total ?? null, cap?.used ?? null, cap?.cycleEndsAt ?? null, timelock ? Number(timelock.active) : null, timelock?.endsAt ?? null, timelock?.enforcement ?? null, limits.readAt);
    if (isHeld && !wasHeld) {
      this.db.prepare('UPDATE number_limits SET limited_since = ?, limited_until = NULL WHERE number_id = ?').run(limits.readAt, numberId);
      // Messages to people who never wrote, sent just before the limit showed and still at one tick: one grey tick
      // forever is how WhatsApp Web can end them (waha 2185) — said as the limit's (a receipt that comes clears it).
      this.db
        .prepare(
          `UPDATE sends SET reason = 'wa_limit', updated_at = ? WHERE number_id = ? AND state = 'sent' AND sending_at >= ?
             AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.number_id = sends.number_id AND i.phone = sends.phone)`,
        )
        .run(limits.readAt, numberId, limits.readAt - LIMIT_SEEN_LATE_MS);
    }
    if (wasHeld && !isHeld) this.db.prepare('UPDATE number_limits SET limited_until = ? WHERE number_id = ?').run(limits.readAt, numberId);
    this.cache.set(numberId, limits);
    if (JSON.stringify({ ...limits, readAt: 0 }) !== before) this.changed(numberId);
  }

  forget(numberId: string): void {
    this.cache.delete(numberId);
  }
}

function fromRow(row: Row): WaLimits {
  return {
    cap: row.cap_level ? { level: row.cap_level as NonNullable<WaLimits['cap']>['level'], total: row.cap_total ?? 0, used: row.cap_used ?? 0, cycleEndsAt: row.cap_cycle_end } : null,
    timelock: row.timelock_active === null ? null : { active: row.timelock_active === 1, endsAt: row.timelock_end, enforcement: row.timelock_enforcement },
    readAt: row.read_at,
  };
}
