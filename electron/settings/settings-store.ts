import { SettingsSchema, type Settings, type SettingsPatch } from '../../shared/types';
import type { Db } from '../db';
import { DEFAULT_CLOUD_PRICES } from '../../shared/cloud';
import { DEFAULT_AUTO_REPLIES } from '../../shared/auto-replies';

const DEFAULT_TIME_ZONE = 'America/Mexico_City';

/** Settings as key → JSON rows; unknown or unreadable values fall back to the defaults rather than failing. */
export class SettingsStore {
  constructor(
    private readonly db: Db,
    private readonly defaults: Settings = defaultSettings(),
  ) {}

  private cached: Settings | undefined;

  /** Read on every send: kept in memory, refreshed by `update` (the only writer). */
  get(): Settings {
    this.cached ??= this.read();
    return this.cached;
  }

  /** Forget what was read (the database was restored from a backup). */
  invalidate(): void {
    this.cached = undefined;
  }

  private read(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const row of rows) {
      try {
        stored[row.key] = JSON.parse(row.value);
      } catch {
        // A hand-edited or damaged value: the default stands in for it.
      }
    }
    const merged: Record<string, unknown> = { ...this.defaults };
    for (const key of Object.keys(this.defaults) as (keyof Settings)[]) {
      const candidate = SettingsSchema.shape[key].safeParse(stored[key]);
      if (candidate.success) merged[key] = candidate.data;
    }
    return SettingsSchema.parse(merged);
  }

  /** The one writer of the browser to run: only from the native dialog or the command line, already checked. */
  setBrowserPath(file: string | null): Settings {
    return this.write({ browserPath: file });
  }

  /** Writes the given keys in one transaction and returns the whole result. */
  update(patch: SettingsPatch): Settings {
    return this.write(patch);
  }

  private write(patch: Partial<Settings>): Settings {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value));
      }
    })();
    this.cached = this.read();
    return this.cached;
  }
}

export function defaultSettings(): Settings {
  return {
    language: 'es',
    timeZone: systemTimeZone(),
    browserPath: null,
    optOutWords: ['CANCELAR', 'BAJA', 'STOP', 'ALTO', 'NO MAS', 'DETENER', 'UNSUBSCRIBE'],
    optOutReplyEnabled: true,
    optOutReply: 'Listo, ya no recibirás más mensajes de nosotros. Gracias.',
    mediaLinkLimitMb: 16,
    mediaLinkTimeoutS: 60,
    apiNetwork: null,
    updateChannel: 'stable',
    cloudPrices: DEFAULT_CLOUD_PRICES,
    autoReplies: DEFAULT_AUTO_REPLIES,
    chatReceipts: true,
    replyNotifications: true,
  };
}

function systemTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && SettingsSchema.shape.timeZone.safeParse(zone).success ? zone : DEFAULT_TIME_ZONE;
}
