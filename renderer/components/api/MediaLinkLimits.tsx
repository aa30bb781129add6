import { useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useAppState } from '../../state/app-state';
import { useAction } from '../../state/use-action';
import { useToast } from '../../state/toast';

/** Settings › attachments from links: the largest file the app downloads, and how long it may take. */
export function MediaLinkLimits() {
  const { t } = useI18n();
  const { settings, updateSettings } = useAppState();
  const [size, setSize] = useState(String(settings.mediaLinkLimitMb));
  const [timeout, setTimeoutS] = useState(String(settings.mediaLinkTimeoutS));
  const { run, busy, error } = useAction();
  const toast = useToast();
  const ids = { size: useId(), timeout: useId() };
  return (
    <form
      className="card form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await updateSettings({ mediaLinkLimitMb: Math.round(Number(size)), mediaLinkTimeoutS: Math.round(Number(timeout)) });
          toast(t('toast.settingsSaved'));
        });
      }}
      data-testid="media-link-limits"
    >
      <h3>{t('api.linksTitle')}</h3>
      <p className="help">{t('api.linksHelp')}</p>
      <div className="field">
        <label htmlFor={ids.size}>{t('api.linksSize')}</label>
        <input id={ids.size} type="number" min={1} max={100} value={size} onChange={(e) => setSize(e.target.value)} data-testid="media-link-size" />
        <p className="help">{t('api.linksSizeAdvice')}</p>
      </div>
      <div className="field">
        <label htmlFor={ids.timeout}>{t('api.linksTimeout')}</label>
        <input id={ids.timeout} type="number" min={5} max={300} value={timeout} onChange={(e) => setTimeoutS(e.target.value)} data-testid="media-link-timeout" />
      </div>
      <button type="submit" disabled={busy}>{t('common.save')}</button>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </form>
  );
}
