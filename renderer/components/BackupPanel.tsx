import { useState } from 'react';
import { api } from '../api/client';
import { saveDownload, uploadFile } from '../api/files';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';

/** Settings › Backup: download a consistent copy; restore one after a clear confirmation. */
export function BackupPanel() {
  const { t } = useI18n();
  const [pending, setPending] = useState<File>();
  const [status, setStatus] = useState<string>();
  const action = useAction();
  const { busy, error } = action;
  const run = (work: () => Promise<void>) => {
    setStatus(undefined);
    return action.run(work);
  };

  return (
    <section className="card" data-testid="backup-panel">
      <h2>{t('settings.backupTitle')}</h2>
      <p className="help">{t('settings.backupHelp')}</p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void run(async () => { const file = await api.call('backup.create', {}); saveDownload(file.url, file.fileName); })} data-testid="backup-create">
          {t('settings.backupCreate')}
        </button>
        <label className="button button-secondary-label">
          {t('settings.restore')}
          <input type="file" className="visually-hidden" accept=".db,application/octet-stream" onChange={(e) => setPending(e.target.files?.[0])} data-testid="restore-file" />
        </label>
      </div>
      <p className="help">{t('settings.restoreHelp')}</p>
      {pending && (
        <div className="confirm" role="group">
          <span>{t('settings.confirmRestore', { name: pending.name })}</span>
          <button
            type="button"
            className="button-danger"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const uploaded = await uploadFile(pending);
                await api.call('backup.restore', { uploadId: uploaded.uploadId, confirm: true });
                setPending(undefined);
                setStatus(t('settings.restored'));
              })
            }
            data-testid="restore-confirm"
          >
            {t('settings.confirmRestoreYes')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setPending(undefined)}>{t('numbers.cancel')}</button>
        </div>
      )}
      {status && <p role="status" className="banner banner-ok">{status}</p>}
      {error && <p role="alert" className="banner banner-error" data-testid="backup-error">{error}</p>}
    </section>
  );
}
