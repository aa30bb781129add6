import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { CampaignView } from '../../shared/campaigns';
import type { Reply } from '../../shared/inbox';
import { api } from '../api/client';
import { formatWhen, formatPhone } from '../format';
import { useI18n } from '../i18n/i18n';
import { useNumbers } from '../state/use-numbers';

type Show = 'all' | 'unhandled' | 'opt_out' | 'doubtful';

/** The matcher's rules that have their own words; any other doubtful rule (a stop phrase in a question) says so. */
const DOUBT_RULES = new Set(['no', 'no_interesa', 'quien_es', 'mi_numero', 'equivocado', 'ya_no', 'stop_symbol']);

/** Everything contacts wrote back, newest first; filter, mark as handled, open the contact. */
export function InboxPage() {
  const { t, language } = useI18n();
  const { numbers } = useNumbers();
  const [campaigns, setCampaigns] = useState<CampaignView[]>([]);
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const [numberId, setNumberId] = useState<string | null>(null);
  // The dashboard links to the replies that wait for a decision (?mostrar=dudosas).
  const [params] = useSearchParams();
  const [show, setShow] = useState<Show>(params.get('mostrar') === 'dudosas' ? 'doubtful' : 'all');
  const [replies, setReplies] = useState<{ total: number; rows: Reply[] }>();
  const ids = { campaign: useId(), number: useId(), show: useId() };

  // Answers can come back out of order (a mark's reload with the old filter after the new filter's list):
  // only the latest request's answer is shown, and a mark reloads with the filter shown now.
  const latest = useRef(0);
  const load = useCallback(() => {
    const request = ++latest.current;
    api.call('inbox.list', { campaignId, numberId, show, offset: 0, limit: 200 }).then((r) => {
      if (request === latest.current) setReplies(r);
    }, () => undefined);
  }, [campaignId, numberId, show]);
  const reload = useRef(load);
  useEffect(() => {
    reload.current = load;
    load();
    return api.on('inbox.changed', () => load());
  }, [load]);
  useEffect(() => {
    api.call('campaigns.list', {}).then(setCampaigns, () => undefined);
  }, []);

  const decide = (reply: Reply, optOut: boolean) => void api.call('inbox.decide', { id: reply.id, optOut }).then(() => reload.current(), () => undefined);
  const mark = (reply: Reply) => void api.call('inbox.setHandled', { ids: [reply.id], handled: !reply.handled }).then(() => reload.current(), () => undefined);
  const body = (r: Reply) => (r.type === 'chat' ? r.body : `${t(`inbox.media.${r.type}`)} ${r.body}`.trim());

  return (
    <section className="page" data-testid="page-inbox">
      <header className="page-header">
        <h1>{t('inbox.title')}</h1>
        <p className="lead">{t('inbox.intro')}</p>
      </header>
      <div className="toolbar">
        <label htmlFor={ids.campaign}>{t('inbox.campaign')}</label>
        <select id={ids.campaign} value={campaignId ?? ''} onChange={(e) => setCampaignId(e.target.value ? Number(e.target.value) : null)} data-testid="inbox-campaign">
          <option value="">{t('inbox.allCampaigns')}</option>
          {campaigns.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
        <label htmlFor={ids.number}>{t('inbox.number')}</label>
        <select id={ids.number} value={numberId ?? ''} onChange={(e) => setNumberId(e.target.value || null)}>
          <option value="">{t('inbox.allNumbers')}</option>
          {(numbers ?? []).map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
        </select>
        <label htmlFor={ids.show}>{t('inbox.show')}</label>
        <select id={ids.show} value={show} onChange={(e) => setShow(e.target.value as Show)} data-testid="inbox-show">
          <option value="all">{t('inbox.all')}</option>
          <option value="unhandled">{t('inbox.unhandled')}</option>
          <option value="opt_out">{t('inbox.optOuts')}</option>
          <option value="doubtful">{t('inbox.doubtfulFilter')}</option>
        </select>
      </div>
      {replies?.rows.length === 0 && <p className="empty card">{t('inbox.empty')}</p>}
      <ul className="replies" data-testid="replies">
        {replies?.rows.map((r) => (
          <li key={r.id} className={`card reply ${r.handled ? 'handled' : ''}`} data-testid="reply" data-opt-out={r.optOut} data-doubt={r.doubt ?? undefined}>
            <header className="row-between">
              <span>
                <strong>{r.contactName ?? (r.phone ? formatPhone(r.phone) : '—')}</strong> <span className="muted">{formatPhone(r.phone)}</span>{' '}
                {r.optOut && <span className="badge badge-bad">{t('inbox.optOut')}</span>}
                {r.doubt && <span className="badge badge-warn">{t('inbox.doubtful')}</span>}
              </span>
              <span className="muted">{formatWhen(r.at, language)}</span>
            </header>
            <p className="reply-body">{body(r)}</p>
            {r.doubt && (
              <div className="doubt" data-testid="reply-doubt">
                <p>
                  <strong>{t('inbox.doubtQuestion')}</strong> {t(`inbox.doubtRule.${DOUBT_RULES.has(r.doubt) ? r.doubt : 'other'}`)}
                </p>
                <span className="actions">
                  <button type="button" className="button-danger" onClick={() => decide(r, true)} data-testid="doubt-opt-out">{t('inbox.doubtOptOut')}</button>
                  <button type="button" className="button-secondary" onClick={() => decide(r, false)} data-testid="doubt-keep">{t('inbox.doubtKeep')}</button>
                </span>
              </div>
            )}
            <footer className="row-between muted">
              <span>{r.campaignName ?? t('inbox.noCampaign')} · {r.numberLabel ?? r.numberId}</span>
              <span className="actions">
                {r.phone && <Link to={`/contactos?buscar=${encodeURIComponent(r.phone)}`}>{t('inbox.openContact')}</Link>}
                <button type="button" className="button-secondary" onClick={() => mark(r)} data-testid="toggle-handled">
                  {r.handled ? t('inbox.markUnhandled') : t('inbox.markHandled')}
                </button>
              </span>
            </footer>
          </li>
        ))}
      </ul>
    </section>
  );
}
