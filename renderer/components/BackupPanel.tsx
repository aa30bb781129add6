import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { CommandOutput } from '../../shared/contract';
import { api } from '../api/client';
import { saveDownload, uploadFile } from '../api/files';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';
import { formatWhen } from '../format';

type BackupContents = CommandOutput<'backup.inspect'>;
type Restored = CommandOutput<'backup.restore'>;

/** Settings › Backup: download a consistent copy; restore one after a clear confirmation. */
export function BackupPanel() {
  const { t, language } = useI18n();
  // A chosen file is uploaded and checked first: only a real backup gets the question, with what it holds.
  const [pending, setPending] = useState<{ name: string; uploadId: string; contents: BackupContents }>();
  const [status, setStatus] = useState<string>();
  const [held, setHeld] = useState<Restored['held']>([]);
  const [secrets, setSecrets] = useState<Restored['newWebhookSecrets']>([]);
  // The backup's API keys and webhooks the user ticked: none come back unless ticked.
  const [keyIds, setKeyIds] = useState<number[]>([]);
  const [webhookIds, setWebhookIds] = useState<number[]>([]);
  const toggle = (list: number[], id: number, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  const action = useAction();
  const { busy, error } = action;
  const run = (work: () => Promise<void>) => {
    setStatus(undefined);
    setHeld([]);
    setSecrets([]);
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
                  setKeyIds([]);
                  setWebhookIds([]);
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
            {pending.contents.takenAt !== null && ` ${t('settings.backupTakenAt', { when: formatWhen(pending.contents.takenAt, language) })}`}
          </span>
          {pending.contents.unfinishedCampaigns > 0 && (
            <span className="banner banner-warning" data-testid="restore-unfinished">{t('settings.backupUnfinished', { count: pending.contents.unfinishedCampaigns })}</span>
          )}
          {(pending.contents.apiKeys.length > 0 || pending.contents.webhooks.length > 0) && (
            <fieldset className="checks-group restore-access" data-testid="restore-access">
              <legend>{t('settings.backupAccessTitle')}</legend>
              {pending.contents.apiKeys.map((k) => (
                <label key={`k${k.id}`}>
                  <input type="checkbox" checked={keyIds.includes(k.id)} onChange={(e) => setKeyIds(toggle(keyIds, k.id, e.target.checked))} />
                  {t('settings.backupKeyItem', { name: k.name, scope: t(`api.scope.${k.scope}`) })}
                  {k.revoked && ` (${t('settings.backupKeyRevoked')})`}
                </label>
              ))}
              {pending.contents.webhooks.map((w) => (
                <label key={`w${w.id}`}>
                  <input type="checkbox" checked={webhookIds.includes(w.id)} onChange={(e) => setWebhookIds(toggle(webhookIds, w.id, e.target.checked))} />
                  {t('settings.backupWebhookItem', { url: w.url })}
                </label>
              ))}
            </fieldset>
          )}
          <button
            type="button"
            className="button-danger"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const restored = await api.call('backup.restore', { uploadId: pending.uploadId, confirm: true, apiKeyIds: keyIds, webhookIds });
                setStatus(t('settings.restored'));
                setHeld(restored.held);
                setSecrets(restored.newWebhookSecrets);
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
      {secrets.length > 0 && (
        <div className="banner banner-warning" role="status" data-testid="restore-webhook-secrets">
          <p>{t('settings.restoredWebhookSecrets')}</p>
          <ul>
            {secrets.map((s) => (
              <li key={s.url}>
                {s.url}: <code className="mono">{s.secret}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {held.length > 0 && (
        <div className="banner banner-warning" role="status" data-testid="restore-held">
          <p>{t('settings.restoredHeld')}</p>
          <ul>
            {held.map((c) => (
              <li key={c.id}>
                <Link to={`/campanas/${c.id}`}>{t('settings.restoredHeldItem', { name: c.name, pending: c.pending })}</Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && <p role="alert" className="banner banner-error" data-testid="backup-error">{error}</p>}
    </section>
  );
}
