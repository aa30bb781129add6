import { useId, useMemo, useState } from 'react';
import { LANGUAGES, type Language } from '../../shared/types';
import { errorText, useI18n } from '../i18n/i18n';
import { useAppState } from '../state/app-state';
import { BackupPanel } from '../components/BackupPanel';
import { UnansweredBudgets } from '../components/health/UnansweredBudgets';
import { ApiKeysPanel } from '../components/api/ApiKeysPanel';
import { WebhooksPanel } from '../components/api/WebhooksPanel';
import { MediaLinkLimits } from '../components/api/MediaLinkLimits';
import { CloudPricesPanel } from '../components/cloud/CloudPricesPanel';
import { ApiLogPanel } from '../components/api/ApiLogPanel';
import { ApiNetworkPanel } from '../components/api/ApiNetworkPanel';
import { UpdatesPanel } from '../components/updates/UpdatesPanel';
import { AutoRepliesPanel } from '../components/inbox/AutoRepliesPanel';
import { api } from '../api/client';
import { saveDownload } from '../api/files';
import { useToast } from '../state/toast';
import { zoneOptions } from '../components/common/time-zones';

export function SettingsPage() {
  const { t } = useI18n();
  const { info, settings, updateSettings } = useAppState();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  const languageId = useId();
  const zoneId = useId();
  const browserId = useId();
  const [words, setWords] = useState(settings.optOutWords.join(', '));
  const [reply, setReply] = useState(settings.optOutReply);
  const wordsId = useId();
  const replyId = useId();
  const toast = useToast();
  const zones = useMemo(() => zoneOptions(settings.timeZone, settings.language), [settings.timeZone, settings.language]);

  const save = async (patch: Parameters<typeof updateSettings>[0]) => {
    setError(undefined);
    try {
      await updateSettings(patch);
      toast(t('toast.settingsSaved'));
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  /** The browser is only ever chosen in the desktop app's native dialog (the main process checks the file). */
  const chooseBrowser = async (reset: boolean) => {
    setError(undefined);
    try {
      await api.call('settings.chooseBrowser', reset ? { reset: true } : {});
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  /** The support zip: phones and message texts masked by the main process before anything is written. */
  const saveDiagnostics = async () => {
    setError(undefined);
    try {
      const file = await api.call('app.diagnostics', {});
      saveDownload(file.url, file.fileName);
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  const copyDataDir = async () => {
    await navigator.clipboard?.writeText(info.dataDir).catch(() => undefined);
    setCopied(true);
  };

  return (
    <section className="page" data-testid="page-settings">
      <header className="page-header">
        <h1>{t('settings.title')}</h1>
      </header>
      {error && (
        <div role="alert" className="banner banner-error" data-testid="settings-error">
          {error}
        </div>
      )}
      <div className="card form">
        <h2>{t('settings.general')}</h2>
        <div className="field">
          <label htmlFor={languageId}>{t('settings.language')}</label>
          <select
            id={languageId}
            data-testid="settings-language"
            value={settings.language}
            onChange={(e) => void save({ language: e.target.value as Language })}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
          <p className="help">{t('settings.languageHelp')}</p>
        </div>
        <div className="field">
          <label htmlFor={zoneId}>{t('settings.timeZone')}</label>
          <select
            id={zoneId}
            className="zone-select"
            data-testid="settings-timezone"
            value={settings.timeZone}
            onChange={(e) => void save({ timeZone: e.target.value })}
          >
            {(['mexico', 'all'] as const).map((group) => (
              <optgroup key={group} label={t(`settings.zoneGroups.${group}`)}>
                {zones.filter((z) => z.group === group).map((z) => (
                  <option key={z.zone} value={z.zone}>
                    {z.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <p className="help">{t('settings.timeZoneHelp')}</p>
        </div>
        <div className="field">
          <span className="label" id={browserId}>{t('settings.browserPath')}</span>
          <p aria-labelledby={browserId} data-testid="settings-browser-path" className="mono">
            {settings.browserPath ?? t('settings.browserPathPlaceholder')}
          </p>
          {info.mode === 'electron' ? (
            <div className="inline-form">
              <button type="button" data-testid="settings-browser-choose" onClick={() => void chooseBrowser(false)}>
                {t('settings.browserChoose')}
              </button>
              {settings.browserPath && (
                <button type="button" className="secondary" data-testid="settings-browser-reset" onClick={() => void chooseBrowser(true)}>
                  {t('settings.browserReset')}
                </button>
              )}
            </div>
          ) : (
            <p className="help" data-testid="settings-browser-web">{t('settings.browserWebHelp')}</p>
          )}
          <p className="help">{t('settings.browserPathHelp')}</p>
        </div>
      </div>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ optOutWords: words.split(',').map((w) => w.trim()).filter(Boolean), optOutReply: reply });
        }}
        data-testid="settings-optout"
      >
        <h2>{t('settings.optOutTitle')}</h2>
        <div className="field">
          <label htmlFor={wordsId}>{t('settings.optOutWords')}</label>
          <input id={wordsId} type="text" value={words} onChange={(e) => setWords(e.target.value)} data-testid="settings-optout-words" />
          <p className="help">{t('settings.optOutWordsHelp')}</p>
        </div>
        <label className="check-line">
          <input type="checkbox" checked={settings.optOutReplyEnabled} onChange={(e) => void save({ optOutReplyEnabled: e.target.checked })} />
          {t('settings.optOutReplyEnabled')}
        </label>
        <div className="field">
          <label htmlFor={replyId}>{t('settings.optOutReply')}</label>
          <input id={replyId} type="text" value={reply} onChange={(e) => setReply(e.target.value)} disabled={!settings.optOutReplyEnabled} />
        </div>
        <button type="submit">{t('common.save')}</button>
      </form>
      <AutoRepliesPanel />
      <UnansweredBudgets />
      <section className="settings-group" id="automatizacion" data-testid="settings-automation">
        <h2>{t('api.settingsTitle')}</h2>
        <p className="help">{t('api.settingsHelp')}</p>
        <ApiKeysPanel />
        <WebhooksPanel />
        <MediaLinkLimits />
        <CloudPricesPanel />
        <ApiNetworkPanel />
        <ApiLogPanel />
      </section>
      <UpdatesPanel />
      <BackupPanel />
      <div className="card">
        <h2>{t('settings.about')}</h2>
        <dl className="facts">
          <dt>{t('settings.version')}</dt>
          <dd data-testid="settings-version">{info.version}</dd>
          <dt>{t('settings.mode')}</dt>
          <dd>{info.mode === 'electron' ? t('settings.modeElectron') : t('settings.modeWeb')}</dd>
          <dt>{t('settings.dataDir')}</dt>
          <dd>
            <code data-testid="settings-data-dir">{info.dataDir}</code>{' '}
            <button type="button" className="button-link" onClick={() => void copyDataDir()}>
              {copied ? t('settings.copied') : t('settings.copy')}
            </button>
            <p className="help">{t('settings.dataDirHelp')}</p>
          </dd>
          <dt>{t('settings.schemaVersion')}</dt>
          <dd>{info.schemaVersion}</dd>
        </dl>
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => void saveDiagnostics()} data-testid="diagnostics-save">
            {t('settings.diagnostics')}
          </button>
        </div>
        <p className="help">{t('settings.diagnosticsHelp')}</p>
      </div>
    </section>
  );
}
