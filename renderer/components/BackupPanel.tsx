import { useState } from 'react';
import type { CommandOutput } from '../../shared/contract';
import { api } from '../api/client';
import { saveDownload, uploadFile } from '../api/files';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';
import { formatWhen } from '../format';

type BackupContents = CommandOutput<'backup.inspect'>;

/** Settings › Backup: download a consistent copy; restore one after a clear confirmation. */
export function BackupPanel() {
  const { t, language } = useI18n();
  // A chosen file is uploaded and checked first: only a real backup gets the question, with what it holds.
  const [pending, setPending] = useState<{ name: string; uploadId: string; contents: BackupContents }>();
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
          <input
            type="file"
            className="visually-hidden"
            accept=".db,application/octet-stream"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              setPending(undefined);
              if (file)
                void run(async () => {
                  const uploaded = await uploadFile(file);
                  setPending({ name: file.name, uploadId: uploaded.uploadId, contents: await api.call('backup.inspect', { uploadId: uploaded.uploadId }) });
                });
            }}
            data-testid="restore-file"
          />
        </label>
      </div>
      <p className="help">{t('settings.restoreHelp')}</p>
      {pending && (
        <div className="confirm" role="group">
          <span>{t('settings.confirmRestore', { name: pending.name })}</span>
          <span className="muted" data-testid="restore-contents">
            {t('settings.backupHolds', { contacts: pending.contents.contacts, lists: pending.contents.lists, campaigns: pending.contents.campaigns })}
            {pending.contents.lastCampaignAt !== null && ` ${t('settings.backupLastCampaign', { when: formatWhen(pending.contents.lastCampaignAt, language) })}`}
          </span>
          <button
            type="button"
            className="button-danger"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await api.call('backup.restore', { uploadId: pending.uploadId, confirm: true });
                setStatus(t('settings.restored'));
              }).then(() => setPending(undefined)) // done or refused: the question goes, the outcome stays
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
