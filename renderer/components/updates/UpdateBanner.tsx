import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { useUpdates } from '../../state/use-updates';

/** On every page once a new version exists: when it installs, its notes, and "Reiniciar ahora" when nothing is sending. */
export function UpdateBanner() {
  const { t } = useI18n();
  const status = useUpdates();
  const { run, busy, error } = useAction();
  if (!status || (status.state !== 'ready' && status.state !== 'available' && status.state !== 'downloading')) return null;
  const version = status.version ?? '';
  const text =
    status.mode === 'notify'
      ? t('updates.bannerWeb', { version })
      : status.state === 'ready'
        ? t('updates.bannerReady', { version })
        : t('updates.bannerDownloading', { version, percent: Math.round((status.progress ?? 0) * 100) });
  return (
    <div role="status" className="banner banner-ok update-banner" data-testid="update-banner" data-state={status.state}>
      <p>{text}</p>
      {status.notes && (
        <details>
          <summary>{t('updates.notes')}</summary>
          <p className="update-notes" data-testid="update-notes">{status.notes}</p>
        </details>
      )}
      {status.mode === 'install' && status.state === 'ready' &&
        (status.sending ? (
          <p className="muted" data-testid="update-waits">{t('updates.waitsForSending')}</p>
        ) : (
          <button type="button" disabled={busy} onClick={() => void run(() => api.call('updates.restart', {}))} data-testid="update-restart">
            {t('updates.restartNow')}
          </button>
        ))}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </div>
  );
}
