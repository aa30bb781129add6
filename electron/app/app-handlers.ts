import fs from 'node:fs';
import type { AppInfo, Settings } from '../../shared/types';
import type { Clock } from '../core/clock';
import type { HandlerGroup } from '../core/dispatcher';
import type { StorageGuard } from '../core/storage-guard';
import { schemaVersion, type Db } from '../db';
import { diagnosticsZip } from '../diagnostics/diagnostics';
import { downloadView, type FileStore } from '../files';
import { videoSupport, type SessionManager } from '../whatsapp';
import type { AppConfig } from './app-types';
import { PRODUCT_NAME } from './paths';

/** The app's own commands: what it is and where its data lives, its disk's state, a support bundle. */
export function appInfoHandlers(deps: {
  config: AppConfig;
  db: Db;
  dbFile: string;
  files: FileStore;
  sessions: SessionManager;
  storage: StorageGuard;
  clock: Clock;
  /** The browser WhatsApp Web runs in (found on the machine, or the one chosen in Settings). */
  browser: () => string | null;
  settings: () => Settings;
  /** Where the automation API listens, once the server said so. */
  network: () => { apiUrl: string | null; apiNetwork: AppInfo['apiNetwork'] };
}) {
  return {
    'app.storage': () => deps.storage.status(),
    'app.diagnostics': () => {
      const download = deps.files.createDownload(`whatzme-diagnostico-${new Date(deps.clock.now()).toISOString().slice(0, 10)}.zip`);
      const browser = deps.browser();
      fs.writeFileSync(
        download.path,
        diagnosticsZip({
          db: deps.db,
          dataDir: deps.config.dataDir,
          sessions: deps.sessions,
          now: () => deps.clock.now(),
          app: { version: deps.config.version, mode: deps.config.mode, schemaVersion: schemaVersion(deps.db) },
          settings: deps.settings,
          browser: () => ({ path: browser, videoSupport: videoSupport(browser) }),
        }),
      );
      return downloadView(download.commit());
    },
    'app.info': () => ({
      name: PRODUCT_NAME,
      version: deps.config.version,
      mode: deps.config.mode,
      demo: deps.config.demo ?? false,
      dataDir: deps.config.dataDir,
      dbFile: deps.dbFile,
      schemaVersion: schemaVersion(deps.db),
      platform: process.platform,
      videoSupport: videoSupport(deps.browser()),
      ...deps.network(),
    }),
  } satisfies HandlerGroup;
}
