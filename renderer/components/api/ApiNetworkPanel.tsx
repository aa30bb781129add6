import { useEffect, useId, useState } from 'react';
import type { AppInfo } from '../../../shared/types';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useAppState } from '../../state/app-state';
import { useAction } from '../../state/use-action';

/** Settings › the API on the user's network: off by default; on, it says plainly what it exposes, and where it listens. */
export function ApiNetworkPanel() {
  const { t } = useI18n();
  const { settings, updateSettings } = useAppState();
  const [on, setOn] = useState(settings.apiNetwork !== null);
  const [address, setAddress] = useState(settings.apiNetwork?.address ?? '0.0.0.0');
  const [port, setPort] = useState(String(settings.apiNetwork?.port ?? 47_801));
  const [status, setStatus] = useState<AppInfo['apiNetwork']>(null);
  const { run, busy, error } = useAction();
  const ids = { address: useId(), port: useId() };
  const refresh = () => api.call('app.info', {}).then((info) => setStatus(info.apiNetwork), () => undefined);
  useEffect(() => void refresh(), []);
  const save = (wanted: boolean) =>
    run(async () => {
      await updateSettings({ apiNetwork: wanted ? { address: address.trim(), port: Math.round(Number(port)) } : null });
      // The server moves right after the setting: give it a moment, then say where it listens (or why not).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await refresh();
    });

  return (
    <section className="card form" data-testid="api-network">
      <h3>{t('api.networkTitle')}</h3>
      <p className="help">{t('api.networkHelp')}</p>
      <label className="check-line">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => {
            setOn(e.target.checked);
            if (!e.target.checked && settings.apiNetwork !== null) void save(false);
          }}
          data-testid="api-network-on"
        />
        {t('api.networkOn')}
      </label>
      {on && (
        <>
          <p className="banner banner-warning" data-testid="api-network-warning">{t('api.networkWarning')}</p>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={ids.address}>{t('api.networkAddress')}</label>
              <input id={ids.address} type="text" value={address} onChange={(e) => setAddress(e.target.value)} data-testid="api-network-address" />
            </div>
            <div className="field">
              <label htmlFor={ids.port}>{t('api.networkPort')}</label>
              <input id={ids.port} type="number" min={1024} max={65535} value={port} onChange={(e) => setPort(e.target.value)} data-testid="api-network-port" />
            </div>
            <button type="button" disabled={busy} onClick={() => void save(true)} data-testid="api-network-save">{t('common.save')}</button>
          </div>
          <p className="help">{t('api.networkAddressHelp')}</p>
        </>
      )}
      {status?.url && <p className="banner banner-ok" role="status" data-testid="api-network-status">{t('api.networkListening', { url: status.url })}</p>}
      {status?.error && <p className="banner banner-error" role="alert" data-testid="api-network-error">{t('api.networkFailed', { code: status.error })}</p>}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </section>
  );
}
