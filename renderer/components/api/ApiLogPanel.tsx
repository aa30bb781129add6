import { useEffect, useState } from 'react';
import type { ApiRequestLog } from '../../../shared/api';
import { api } from '../../api/client';
import { formatWhen } from '../../format';
import { useI18n } from '../../i18n/i18n';

const OWN_WORDS = new Set(['unauthorized', 'forbidden', 'invalid_input', 'payload_too_large']);

/** Settings › the latest requests made with API keys: which key, which command, how it ended (never a secret). */
export function ApiLogPanel() {
  const { t, language } = useI18n();
  const [log, setLog] = useState<ApiRequestLog[]>();
  useEffect(() => {
    api.call('apiKeys.log', { limit: 50 }).then(setLog, () => undefined);
  }, []);
  /** The outcome in words: the usual refusals of a key have their own; any other says the app's reason. */
  const resultText = (l: ApiRequestLog) => {
    if (l.code === null) return t('api.logOk');
    if (OWN_WORDS.has(l.code)) return t(`api.logCode.${l.code}`);
    const key = `errors.${l.code}`;
    return t(key) === key ? t('api.logRefused') : t(key, { field: '' });
  };
  return (
    <section className="card" data-testid="api-log">
      <h3>{t('api.logTitle')}</h3>
      {!log || log.length === 0 ? (
        <p className="muted">{t('api.logEmpty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="preview">
            <thead>
              <tr>
                <th scope="col">{t('api.colWhen')}</th>
                <th scope="col">{t('api.colKey')}</th>
                <th scope="col">{t('api.colCommand')}</th>
                <th scope="col">{t('api.colResult')}</th>
              </tr>
            </thead>
            <tbody>
              {log.map((l, i) => (
                <tr key={i} data-testid="api-log-row">
                  <td>{formatWhen(l.at, language)}</td>
                  <td>{l.keyName ?? t('api.unknownKey')}</td>
                  <td><code className="mono">{l.command}</code></td>
                  <td>
                    <span className={`badge ${l.status < 300 ? 'badge-ok' : 'badge-bad'}`}>{l.status}</span> {resultText(l)} <span className="muted">{l.ms} ms</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
