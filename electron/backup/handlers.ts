import { AppError } from '../core/app-error';
import type { HandlerGroup } from '../core/dispatcher';
import type { Db } from '../db';
import { downloadView, type FileStore } from '../files';
import { backupTo, checkBackup, restoreFrom } from './backup';

/** What must pause while the data underneath is replaced: sending, the linked numbers, cached settings. */
export type Services = { pause(): Promise<void>; resume(): void };

export function backupHandlers(deps: {
  db: Db;
  dbFile: string;
  files: FileStore;
  now: () => number;
  services: Services;
  importing: () => boolean;
  /** Where a restored webhook's signing secret goes (never the database). */
  setWebhookSecret: (id: number, secret: string) => void;
}) {
  return {
    'backup.create': async () => {
      const day = new Date(deps.now()).toISOString().slice(0, 10);
      const download = deps.files.createDownload(`whatzme-respaldo-${day}.db`);
      await backupTo(deps.db, download.path);
      return downloadView(download.commit());
    },
    'backup.inspect': ({ uploadId }) => checkBackup(deps.files.upload(uploadId).path),
    'backup.restore': async ({ uploadId, apiKeyIds, webhookIds }) => {
      const upload = deps.files.upload(uploadId);
      const checked = checkBackup(upload.path); // refused here, before anything stops or changes
      // An import's merge commits batch by batch into the file a restore replaces: it finishes first.
      if (deps.importing()) throw new AppError('import_busy', 'an import is running: restore once it has finished');
      await deps.services.pause();
      try {
        const { webhooks, ...result } = restoreFrom(deps.db, deps.dbFile, upload.path, checked, { apiKeyIds: apiKeyIds ?? [], webhookIds: webhookIds ?? [] });
        for (const hook of webhooks) deps.setWebhookSecret(hook.id, hook.secret);
        // A secret the backup could not carry is new: the user gives it to their system (shown once).
        return { ...result, newWebhookSecrets: webhooks.filter((h) => h.fresh).map((h) => ({ url: h.url, secret: h.secret })) };
      } finally {
        deps.services.resume();
      }
    },
  } satisfies HandlerGroup;
}
