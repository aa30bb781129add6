import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { API_SEND_STATES, type ApiMessage } from '../../shared/api';
import { api } from '../api/client';
import { formatPhone, formatWhen, reasonText } from '../format';
import { useI18n } from '../i18n/i18n';
import { useAppState } from '../state/app-state';

type Filter = ApiMessage['state'] | 'all';

const BADGE: Record<ApiMessage['state'], string> = { queued: 'badge-warn', sending: 'badge-warn', sent: 'badge-ok', delivered: 'badge-ok', read: 'badge-ok', failed: 'badge-bad' };

/** Messages the user's own systems sent through the API, apart from campaigns; and how to connect them. */
export function ApiPage() {
  const { t, language } = useI18n();
  const { info } = useAppState();
  const [filter, setFilter] = useState<Filter>('all');
  const [list, setList] = useState<{ total: number; rows: ApiMessage[] }>();
  const filterId = useId();
  const latest = useRef(0);
  const load = useCallback(() => {
    const request = ++latest.current;
    api.call('messages.list', { ...(filter === 'all' ? {} : { state: filter }), offset: 0, limit: 200 }).then((r) => {
      if (request === latest.current) setList(r);
    }, () => undefined);
  }, [filter]);
  useEffect(() => {
    load();
    return api.on('messages.apiChanged', () => load());
  }, [load]);
  const base = info.apiUrl ?? 'http://127.0.0.1:47800';

  return (
    <section className="page" data-testid="page-api">
      <header className="page-header">
        <h1>{t('api.title')}</h1>
        <p className="lead">{t('api.intro')}</p>
      </header>
      <div className="card" data-testid="api-connect">
        <h2>{t('api.connectTitle')}</h2>
        {info.apiUrl ? (
          <p>
            {t('api.address')} <code className="mono" data-testid="api-address">{info.apiUrl}</code> ·{' '}
            <a href={`${info.apiUrl}/api/openapi.json`} target="_blank" rel="noreferrer">openapi.json</a>
          </p>
        ) : (
          <p className="banner banner-warning">{t('api.notServing')}</p>
        )}
        <p className="help">{t('api.connectHelp')}</p>
        <pre className="code-block" data-testid="api-curl">{`curl -s ${base}/api/messages.send \\
  -H "Authorization: Bearer wzm_…" -H "Content-Type: application/json" \\
  -d '{"idempotencyKey":"pedido-1001","phone":"55 1234 5678","text":"${t('api.curlText')}"}'`}</pre>
        <p>
          <Link to="/ajustes" data-testid="api-to-settings">{t('api.toSettings')}</Link>
        </p>
      </div>
      <div className="card">
        <div className="toolbar">
          <h2>{t('api.sendsTitle')}</h2>
          <label htmlFor={filterId}>{t('api.show')}</label>
          <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as Filter)} data-testid="api-filter">
            <option value="all">{t('api.showAll')}</option>
            {API_SEND_STATES.map((s) => <option key={s} value={s}>{t(`api.state.${s}`)}</option>)}
          </select>
        </div>
        {list && list.rows.length === 0 ? (
          <p className="empty" data-testid="api-empty">{t('api.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table className="preview" data-testid="api-sends">
              <thead>
                <tr>
                  <th scope="col">{t('api.colWhen')}</th>
                  <th scope="col">{t('api.colTo')}</th>
                  <th scope="col">{t('api.colMessage')}</th>
                  <th scope="col">{t('api.colState')}</th>
                </tr>
              </thead>
              <tbody>
                {list?.rows.map((m) => (
                  <tr key={m.id} data-testid="api-send" data-state={m.state}>
                    <td>
                      {formatWhen(m.createdAt, language)}
                      <div className="muted mono">{m.idempotencyKey}</div>
                    </td>
                    <td>{formatPhone(m.phone)}</td>
                    <td className="api-text">
                      {m.hasMedia && <span className="badge badge-ok">{t('api.withMedia')}</span>} {m.text}
                    </td>
                    <td>
                      <span className={`badge ${BADGE[m.state]}`}>{t(`api.state.${m.state}`)}</span>
                      {m.reason && <div className="muted">{reasonText(t, m.reason)}</div>}
                      {m.state === 'queued' && m.expectedAt !== null && <div className="muted">{t('api.expected', { when: formatWhen(m.expectedAt, language) })}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list && list.total > list.rows.length && <p className="muted">{t('api.more', { shown: list.rows.length, total: list.total })}</p>}
      </div>
    </section>
  );
}
