import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { CampaignView } from '../../shared/campaigns';
import type { Conversation } from '../../shared/conversations';
import { CONVERSATION_SHOWS } from '../../shared/conversations';
import { api } from '../api/client';
import { formatPhone, formatWhen } from '../format';
import { useI18n } from '../i18n/i18n';
import { useNumbers } from '../state/use-numbers';
import { ChatPanel } from '../components/inbox/ChatPanel';
import { NotificationsToggle } from '../components/inbox/NotificationsToggle';

type Show = (typeof CONVERSATION_SHOWS)[number];
type Page = { total: number; rows: Conversation[]; labels: string[] };

/** The matcher's rules that have their own words; any other doubtful rule (a stop phrase in a question) says so. */
const DOUBT_RULES = new Set(['no', 'no_interesa', 'quien_es', 'mi_numero', 'equivocado', 'ya_no', 'stop_symbol']);

/** The inbox: one conversation per person who wrote, latest first; the chosen one open beside it to answer. */
export function InboxPage() {
  const { t, language } = useI18n();
  const { numbers } = useNumbers();
  const [params, setParams] = useSearchParams();
  const [campaigns, setCampaigns] = useState<CampaignView[]>([]);
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const [numberId, setNumberId] = useState<string | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  // The dashboard links to the replies that wait for a decision (?mostrar=dudosas) or for an answer (?mostrar=sin-responder).
  const [show, setShow] = useState<Show>(params.get('mostrar') === 'dudosas' ? 'doubtful' : params.get('mostrar') === 'sin-responder' ? 'waiting' : 'all');
  const [page, setPage] = useState<Page>();
  const open = params.get('tel');
  const ids = { campaign: useId(), number: useId(), show: useId(), label: useId() };

  // Answers can come back out of order: only the latest request's answer is shown.
  const latest = useRef(0);
  const load = useCallback(() => {
    const request = ++latest.current;
    api.call('conversations.list', { show, campaignId, numberId, label, offset: 0, limit: 200 }).then((r) => {
      if (request === latest.current) setPage(r);
    }, () => undefined);
  }, [show, campaignId, numberId, label]);
  const reload = useRef(load);
  useEffect(() => {
    reload.current = load;
    load();
    const offs = [api.on('inbox.changed', () => load()), api.on('conversations.changed', () => load())];
    return () => offs.forEach((off) => off());
  }, [load]);
  useEffect(() => {
    api.call('campaigns.list', {}).then(setCampaigns, () => undefined);
  }, []);

  const select = (phone: string) => {
    const next = new URLSearchParams(params);
    next.set('tel', phone);
    setParams(next, { replace: true });
  };
  const decide = (replyId: number, optOut: boolean) => void api.call('inbox.decide', { id: replyId, optOut }).then(() => reload.current(), () => undefined);
  const toggleHandled = (c: Conversation) => void api.call('conversations.setHandled', { phone: c.phone, handled: c.waiting }).then(() => reload.current(), () => undefined);
  const preview = (c: Conversation) => {
    const text = c.previewType === 'chat' || c.previewType === 'media' ? c.preview : `${t(`inbox.media.${c.previewType}`)} ${c.preview}`.trim();
    return c.previewOut ? t('inbox.you', { text }) : text;
  };

  return (
    <section className="page page-inbox" data-testid="page-inbox">
      <header className="page-header row-between">
        <div>
          <h1>{t('inbox.title')}</h1>
          <p className="lead">{t('inbox.intro')}</p>
        </div>
        <NotificationsToggle />
      </header>
      <div className="toolbar">
        <label htmlFor={ids.show}>{t('inbox.show')}</label>
        <select id={ids.show} value={show} onChange={(e) => setShow(e.target.value as Show)} data-testid="inbox-show">
          {CONVERSATION_SHOWS.map((s) => <option key={s} value={s}>{t(`inbox.shows.${s}`)}</option>)}
        </select>
        <label htmlFor={ids.campaign}>{t('inbox.campaign')}</label>
        <select id={ids.campaign} value={campaignId ?? ''} onChange={(e) => setCampaignId(e.target.value ? Number(e.target.value) : null)} data-testid="inbox-campaign">
          <option value="">{t('inbox.allCampaigns')}</option>
          {campaigns.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
        <label htmlFor={ids.number}>{t('inbox.number')}</label>
        <select id={ids.number} value={numberId ?? ''} onChange={(e) => setNumberId(e.target.value || null)} data-testid="inbox-number">
          <option value="">{t('inbox.allNumbers')}</option>
          {(numbers ?? []).map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
        </select>
        {(page?.labels.length ?? 0) > 0 && (
          <>
            <label htmlFor={ids.label}>{t('inbox.label')}</label>
            <select id={ids.label} value={label ?? ''} onChange={(e) => setLabel(e.target.value || null)} data-testid="inbox-label">
              <option value="">{t('inbox.allLabels')}</option>
              {page?.labels.map((l) => <option key={l} value={l}>{l}</option>)}
            </select>
          </>
        )}
      </div>
      <div className="inbox-split">
        <div className="inbox-list">
          {page?.rows.length === 0 && <p className="empty card" data-testid="inbox-empty">{t(show === 'all' && campaignId === null && numberId === null && label === null ? 'inbox.emptyNone' : 'inbox.empty')}</p>}
          <ul className="replies" data-testid="replies">
            {page?.rows.map((c) => (
              <li
                key={c.phone}
                className={`card reply ${c.waiting ? '' : 'handled'} ${open === c.phone ? 'selected' : ''}`}
                data-testid="reply"
                data-phone={c.phone}
                data-opt-out={c.optedOut}
                data-doubt={c.doubt ?? undefined}
                data-unread={c.unread}
              >
                <button type="button" className="reply-open" onClick={() => select(c.phone)} data-testid="open-chat" aria-current={open === c.phone ? 'true' : undefined}>
                  <span className="row-between">
                    <strong>{c.name ?? formatPhone(c.phone)}</strong>
                    <span className="muted reply-time">{formatWhen(c.lastAt, language)}</span>
                  </span>
                  <span className="row-between">
                    <span className="reply-body">{preview(c)}</span>
                    {c.unread > 0 && <span className="badge badge-unread" data-testid="unread">{c.unread}</span>}
                  </span>
                  <span className="muted reply-meta">
                    {c.optedOut && <span className="badge badge-bad">{t('inbox.optOut')}</span>} {c.label && <span className="badge">{c.label}</span>} {c.campaignName ?? t('inbox.noCampaign')} · {c.numberLabel ?? c.numberId}
                  </span>
                </button>
                {c.doubt && c.doubtReplyId !== null && (
                  <div className="doubt" data-testid="reply-doubt">
                    <p>
                      <strong>{t('inbox.doubtQuestion')}</strong> {t(`inbox.doubtRule.${DOUBT_RULES.has(c.doubt) ? c.doubt : 'other'}`)}
                    </p>
                    <span className="actions">
                      <button type="button" className="button-danger" onClick={() => decide(c.doubtReplyId!, true)} data-testid="doubt-opt-out">{t('inbox.doubtOptOut')}</button>
                      <button type="button" className="button-secondary" onClick={() => decide(c.doubtReplyId!, false)} data-testid="doubt-keep">{t('inbox.doubtKeep')}</button>
                    </span>
                  </div>
                )}
                <button type="button" className="button-secondary button-small" onClick={() => toggleHandled(c)} data-testid="toggle-handled">
                  {c.waiting ? t('inbox.markHandled') : t('inbox.markUnhandled')}
                </button>
              </li>
            ))}
          </ul>
        </div>
        {open ? <ChatPanel key={open} phone={open} onChanged={() => reload.current()} /> : <p className="chat-panel card muted chat-empty">{t('inbox.pick')}</p>}
      </div>
    </section>
  );
}
