import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { SEND_STATES, type CampaignView } from '../../shared/campaigns';
import { CampaignSegments } from '../components/segments/CampaignSegments';
import { FollowUps } from '../components/campaigns/FollowUps';
import { TagFromReport } from '../components/segments/TagFromReport';
import { percentOfTargeted, type Report, type ReportRow } from '../../shared/reports';
import { api } from '../api/client';
import { saveDownload } from '../api/files';
import { TimelineChart } from '../components/reports/TimelineChart';
import { VersionsReport } from '../components/reports/VersionsReport';
import { formatIsoDate, formatNumber, formatPhone, formatShortWhen, formatUsd, formatWhen, reasonText } from '../format';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';

type State = (typeof SEND_STATES)[number];
const ROW = 40;

/** A campaign's report, live while it runs: figures, chart, reasons, per number, and every contact. */
export function ReportPage() {
  const { t, language } = useI18n();
  const id = Number(useParams().id);
  const [report, setReport] = useState<Report>();
  const [campaign, setCampaign] = useState<CampaignView>();
  const [state, setState] = useState<State | null>(null);
  const [rows, setRows] = useState<{ total: number; rows: ReportRow[] }>({ total: 0, rows: [] });
  const { run, error } = useAction();
  const stateId = useId();
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A filter changed while rows were on their way: the old filter's answer must not land over the new one.
    let gone = false;
    const load = () => {
      api.call('reports.get', { id }).then((r) => gone || setReport(r), () => undefined);
      api.call('reports.rows', { id, state, offset: 0, limit: 500 }).then((r) => gone || setRows(r), () => undefined);
    };
    load();
    api.call('campaigns.get', { id }).then((c) => gone || setCampaign(c), () => undefined);
    const off = api.on('campaigns.progress', (p) => {
      if (p.campaignId === id) timer ??= setTimeout(() => ((timer = undefined), load()), 1000);
    });
    return () => {
      gone = true;
      off();
      clearTimeout(timer);
    };
  }, [id, state]);

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is the well-kept choice here
  const virtualizer = useVirtualizer({ count: rows.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  if (!report) return <section className="page">{t('common.loading')}</section>;
  // An A/B test with a rest of the audience: when its best version is picked (its wait after the start).
  const ab = campaign?.settings.abTest;
  const waitUntil = ab && ab.testShare < 100 && campaign?.startedAt ? campaign.startedAt + ab.waitHours * 3_600_000 : null;
  const figures = [
    ['targeted', report.targeted],
    ['sent', report.sent],
    ['delivered', report.delivered],
    ['read', report.read],
    ['failed', report.failed],
    ['skipped', report.skipped],
    ['replied', report.replied],
    ['optedOut', report.optedOut],
  ] as const;
  const exportAs = (format: 'csv' | 'xlsx') => run(async () => { const file = await api.call('reports.export', { id, state, format }); saveDownload(file.url, file.fileName); });
  const reasons = (by: Record<string, number>, kind: 'failed' | 'skipped') =>
    Object.keys(by).length === 0 ? <p className="hint">{t('report.none')}</p> : (
      <ul data-testid={`reasons-${kind}`}>{Object.entries(by).map(([reason, n]) => <li key={reason}>{reasonText(t, reason)}: <strong>{n}</strong></li>)}</ul>
    );

  return (
    <section className="page" data-testid="page-report">
      <Link to={`/campanas/${id}`}>{t('report.back')}</Link>
      <header className="page-header row-between">
        <h1>{t('report.title')}: {report.name}</h1>
        <span className={`state state-${report.state}`}>{t(`campaigns.states.${report.state}`)}</span>
      </header>
      <div className="figures figures-8" data-testid="report-figures">
        {figures.map(([key, n]) => (
          <div key={key} className={`figure figure-${key}`} data-testid={`report-${key}`}>
            <span className="figure-value">{formatNumber(n, language)}</span>
            <span className="figure-label">{t(`report.${key}`)}</span>
            {key !== 'targeted' && key !== 'skipped' && <span className="hint">{t('report.ofTargeted', { pct: percentOfTargeted(report, n) })}</span>}
          </div>
        ))}
      </div>
      {report.cost && (
        <p className="banner banner-ok" data-testid="report-cost">
          {t('cloud.reportCost', { total: formatUsd(report.cost.total, language), count: report.cost.delivered, asOf: formatIsoDate(report.cost.asOf, language) })}{' '}
          <span className="muted">{Object.entries(report.cost.byCategory).map(([category, amount]) => `${t(`cloud.categories.${category}`)}: ${formatUsd(amount, language)}`).join(' · ')}</span>
        </p>
      )}
      <section className="card">
        <h2>{t('report.chart')}</h2>
        <TimelineChart timeline={report.timeline} />
      </section>
      <div className="two-columns">
        <section className="card"><h2>{t('report.failedBy')}</h2>{reasons(report.failedBy, 'failed')}<h2>{t('report.skippedBy')}</h2>{reasons(report.skippedBy, 'skipped')}</section>
        <section className="card">
          <h2>{t('report.perNumber')}</h2>
          <table className="preview" data-testid="report-per-number">
            <thead><tr><th>{t('report.number')}</th><th>{t('report.sent')}</th><th>{t('report.delivered')}</th><th>{t('report.read')}</th><th>{t('report.failed')}</th></tr></thead>
            <tbody>{report.perNumber.map((n) => <tr key={n.numberId}><td>{n.label}</td><td>{n.sent}</td><td>{n.delivered}</td><td>{n.read}</td><td>{n.failed}</td></tr>)}</tbody>
          </table>
        </section>
      </div>
      {campaign && campaign.segments.length > 0 && <section className="card"><CampaignSegments campaign={campaign} /></section>}
      {campaign && campaign.followUps.length > 0 && <section className="card"><FollowUps campaign={campaign} /></section>}
      <VersionsReport report={report} waitUntil={waitUntil} />
      <section className="card">
        <header className="row-between">
          <h2>{t('report.contacts')}</h2>
          <span className="actions">
            <label htmlFor={stateId}>{t('report.state')}</label>
            <select id={stateId} value={state ?? ''} onChange={(e) => setState((e.target.value || null) as State | null)} data-testid="report-state">
              <option value="">{t('report.allStates')}</option>
              {SEND_STATES.map((s) => <option key={s} value={s}>{t(`campaigns.sendStates.${s}`)}</option>)}
            </select>
            <button type="button" className="button-secondary" onClick={() => void exportAs('csv')} data-testid="report-export-csv">{t('report.exportCsv')}</button>
            <button type="button" className="button-secondary" onClick={() => void exportAs('xlsx')} data-testid="report-export-xlsx">{t('report.exportXlsx')}</button>
          </span>
        </header>
        <TagFromReport campaignId={id} />
        {error && <p role="alert" className="banner banner-error">{error}</p>}
        <div className="report-table" role="table" aria-rowcount={rows.total} data-testid="report-table">
          <div role="row" className="report-row head">
            {(['colName', 'colPhone', 'colState', 'colNumber', 'colSent', 'colReplied', 'colOptedOut', 'colConsent'] as const).map((c) => <span role="columnheader" key={c}>{t(`report.${c}`)}</span>)}
          </div>
          <div ref={scroller} className="report-scroll">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const r = rows.rows[item.index];
                if (!r) return null;
                return (
                  <div key={r.id} role="row" className="report-row" data-testid="report-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${item.start}px)` }}>
                    <span role="cell">{r.name ?? '—'}</span>
                    <span role="cell">
                      <Link to={`/respuestas?tel=${encodeURIComponent(r.phone)}`} title={t('report.openChat')} data-testid="row-chat">{formatPhone(r.phone)}</Link>
                    </span>
                    {/* Why it failed or was skipped goes with its state: one column fewer, so every column fits at 1280 px (#30 item 9). */}
                    <span role="cell" title={r.reason ? `${t(`report.rowStates.${r.state}`)}: ${reasonText(t, r.reason)}` : undefined}>
                      {t(`report.rowStates.${r.state}`)}
                      {r.reason && <span className="muted" data-testid="row-reason"> · {reasonText(t, r.reason)}</span>}
                    </span>
                    <span role="cell" title={r.numberLabel ?? undefined}>{r.numberLabel ?? ''}</span>
                    <span role="cell" className="muted" title={r.sentAt ? formatWhen(r.sentAt, language) : undefined}>{r.sentAt ? formatShortWhen(r.sentAt, language) : ''}</span>
                    <span role="cell">{r.replied ? t('report.yes') : ''}</span>
                    <span role="cell">{r.optedOut && <span className="badge badge-bad" data-testid="row-opted-out">{t('report.optedOutBadge')}</span>}</span>
                    <span role="cell" className={r.consent === 'yes' ? '' : 'muted'} data-testid="row-consent" data-consent={r.consent ?? 'unknown'}>{t(`report.consent.${r.consent ?? 'unknown'}`)}{r.consent !== 'yes' && report.consentConfirmed ? ` · ${t('report.consent.confirmed')}` : ''}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </section>
    </section>
  );
}
