import { useId } from 'react';
import { UPDATE_CHANNELS } from '../../../shared/types';
import { ApiCallError, api } from '../../api/client';
import type { ErrorCode } from '../../../shared/errors';
import { formatWhen } from '../../format';
import { errorText, useI18n } from '../../i18n/i18n';
import { useAppState } from '../../state/app-state';
import { useAction } from '../../state/use-action';
import { useUpdates } from '../../state/use-updates';

/** Settings › updates: the version, where the check stands, the channel, and a check now. */
export function UpdatesPanel() {
  const { t, language } = useI18n();
  const { settings, updateSettings } = useAppState();
  const status = useUpdates();
  const { run, busy, error } = useAction();
  const channelId = useId();
  const state = status
    ? status.state === 'error'
      ? errorText(t, new ApiCallError({ code: (status.error ?? 'update_feed_down') as ErrorCode, message: '' }))
      : t(`updates.state.${status.state}`, { version: status.version ?? '', percent: Math.round((status.progress ?? 0) * 100) })
    : t('common.loading');
  return (
    <section className="card form" data-testid="updates-panel">
      <h2>{t('updates.title')}</h2>
      <p>
        {t('updates.current', { version: status?.current ?? '' })} · <span data-testid="updates-state" data-state={status?.state}>{state}</span>
      </p>
      {status?.checkedAt && <p className="muted">{t('updates.checkedAt', { when: formatWhen(status.checkedAt, language) })}</p>}
      <div className="field">
        <label htmlFor={channelId}>{t('updates.channel')}</label>
        <select id={channelId} value={settings.updateChannel} onChange={(e) => void run(() => updateSettings({ updateChannel: e.target.value as (typeof UPDATE_CHANNELS)[number] }))} data-testid="updates-channel">
          {UPDATE_CHANNELS.map((c) => <option key={c} value={c}>{t(`updates.channels.${c}`)}</option>)}
        </select>
        <p className="help">{t('updates.channelHelp')}</p>
      </div>
      <button type="button" className="button-secondary" disabled={busy || status?.state === 'checking'} onClick={() => void run(() => api.call('updates.check', {}))} data-testid="updates-check">
        {t('updates.checkNow')}
      </button>
      <p className="help">{status?.mode === 'notify' ? t('updates.helpWeb') : t('updates.helpDesktop')}</p>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </section>
  );
}
