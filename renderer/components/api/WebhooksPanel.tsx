import { useCallback, useEffect, useId, useState } from 'react';
import { WEBHOOK_EVENTS, type Webhook, type WebhookDelivery, type WebhookEvent } from '../../../shared/api';
import { api } from '../../api/client';
import { formatWhen } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { ShownOnce } from './ShownOnce';

/** Event names have dots (message.status); the catalog's keys do not. */
const eventKey = (e: WebhookEvent) => `api.event.${e.replace('.', '_')}`;

/** How often the deliveries are asked again while the panel is open (they change as the user's system answers). */
const REFRESH_MS = 3000;

/** Settings › Webhooks: the user's URLs, the events each wants, and every delivery attempt. */
export function WebhooksPanel() {
  const { t, language } = useI18n();
  const [hooks, setHooks] = useState<Webhook[]>([]);
  const [deliveries, setDeliveries] = useState<WebhookDelivery[]>([]);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['message.status', 'message.received', 'contact.opted_out']);
  const [made, setMade] = useState<{ url: string; secret: string }>();
  const [lan, setLan] = useState(false);
  const { run, busy, error } = useAction();
  const urlId = useId();
  const load = useCallback(() => {
    api.call('webhooks.list', {}).then(setHooks, () => undefined);
    api.call('webhooks.deliveries', { limit: 30 }).then(setDeliveries, () => undefined);
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  const toggle = (e: WebhookEvent, on: boolean) => setEvents((list) => (on ? [...list, e] : list.filter((x) => x !== e)));
  const urlOf = (id: number) => hooks.find((h) => h.id === id)?.url ?? '—';

  return (
    <section className="card" data-testid="webhooks">
      <h3>{t('api.hooksTitle')}</h3>
      <p className="help">{t('api.hooksHelp')}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const created = await api.call('webhooks.create', { url, events, allowLan: lan });
            setMade({ url: created.webhook.url, secret: created.secret });
            setUrl('');
            setLan(false);
            load();
          });
        }}
      >
        <div className="field">
          <label htmlFor={urlId}>{t('api.hookUrl')}</label>
          <input id={urlId} type="url" required value={url} placeholder="https://mi-sistema.example/whatzme" onChange={(e) => setUrl(e.target.value)} data-testid="webhook-url" />
          <p className="help">{t('api.hookUrlHelp')}</p>
          <label className="check-line">
            <input type="checkbox" checked={lan} onChange={(e) => setLan(e.target.checked)} data-testid="webhook-lan" /> {t('api.webhookLan')}
          </label>
          <p className="help">{t('api.webhookLanHelp')}</p>
        </div>
        <fieldset className="checks">
          <legend>{t('api.hookEvents')}</legend>
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e} className="check-line">
              <input type="checkbox" checked={events.includes(e)} onChange={(x) => toggle(e, x.target.checked)} data-testid={`webhook-event-${e}`} />
              {t(eventKey(e))} <code className="mono muted">{e}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy || events.length === 0 || url.trim() === ''} data-testid="webhook-create">{t('api.hookCreate')}</button>
      </form>
      {made && <ShownOnce label={t('api.hookMade', { url: made.url })} secret={made.secret} onDone={() => setMade(undefined)} testId="webhook-secret" masculine />}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
      {hooks.length > 0 && (
        <ul className="plain-list" data-testid="webhook-list">
          {hooks.map((h) => (
            <li key={h.id} className="row-between webhook" data-testid="webhook" data-active={h.active}>
              <span className="webhook-what">
                <code className="mono">{h.url}</code>
                <span className="muted"> {h.events.map((e) => t(eventKey(e))).join(', ')}</span>
                {h.pending > 0 && <span className="badge badge-warn">{t('api.hookPending', { count: h.pending })}</span>}
                {h.failed > 0 && <span className="badge badge-bad">{t('api.hookFailed', { count: h.failed })}</span>}
                {!h.active && <span className="badge badge-bad">{t('api.hookOff')}</span>}
              </span>
              <span className="actions">
                <button type="button" className="button-secondary" onClick={() => void run(async () => { await api.call('webhooks.ping', { id: h.id }); load(); })} data-testid="webhook-ping">{t('api.hookPing')}</button>
                <button type="button" className="button-secondary" onClick={() => void run(async () => { await api.call('webhooks.setActive', { id: h.id, active: !h.active }); load(); })} data-testid="webhook-toggle">
                  {h.active ? t('api.hookTurnOff') : t('api.hookTurnOn')}
                </button>
                <button type="button" className="button-secondary" onClick={() => void run(async () => { await api.call('webhooks.remove', { id: h.id }); load(); })} data-testid="webhook-remove">{t('api.hookRemove')}</button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {deliveries.length > 0 && (
        <>
          <h4>{t('api.deliveriesTitle')}</h4>
          <div className="table-scroll">
            <table className="preview" data-testid="webhook-deliveries">
              <thead>
                <tr>
                  <th scope="col">{t('api.colEvent')}</th>
                  <th scope="col">{t('api.colState')}</th>
                  <th scope="col">{t('api.colAttempts')}</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} data-testid="webhook-delivery" data-state={d.state}>
                    <td>
                      <code className="mono">{d.event}</code>
                      <div className="muted">{formatWhen(d.createdAt, language)} · {urlOf(d.webhookId)}</div>
                    </td>
                    <td>
                      <span className={`badge ${d.state === 'delivered' ? 'badge-ok' : d.state === 'failed' ? 'badge-bad' : 'badge-warn'}`}>{t(`api.delivery.${d.state}`)}</span>
                      {d.nextAttemptAt !== null && d.attempts.length > 0 && <div className="muted">{t('api.nextAttempt', { when: formatWhen(d.nextAttemptAt, language) })}</div>}
                    </td>
                    <td>
                      <ol className="attempts" data-testid="webhook-attempts">
                        {d.attempts.map((a, i) => (
                          <li key={i}>
                            {formatWhen(a.at, language)} — {a.status !== null ? `HTTP ${a.status}` : t('api.noAnswer')}
                            {a.error && a.status === null && <span className="muted"> ({t(`api.attemptErrors.${a.error}`)})</span>} <span className="muted">{Math.round(a.ms)} ms</span>
                          </li>
                        ))}
                      </ol>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
