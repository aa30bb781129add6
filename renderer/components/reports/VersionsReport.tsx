import type { Rate, Report } from '../../../shared/reports';
import { formatNumber, formatWhen } from '../../format';
import { useI18n } from '../../i18n/i18n';

const LETTERS = ['A', 'B', 'C', 'D'];

/** An A/B test in its report: each version's rates with their 95 % interval, and the pick for the rest. */
export function VersionsReport({ report, waitUntil }: { report: Pick<Report, 'versions' | 'abChoice'>; waitUntil: number | null }) {
  const { t, language } = useI18n();
  if (!report.versions) return null;
  const pct = (x: number) => formatNumber(Math.round(x * 1000) / 10, language);
  const rate = (r: Rate) => t('campaigns.ab.rate', { pct: pct(r.rate), low: pct(r.low), high: pct(r.high) });
  const choice = report.abChoice;
  return (
    <section className="card" data-testid="report-versions">
      <h2>{t('campaigns.ab.title')}</h2>
      <table className="preview versions-table">
        <thead>
          <tr>
            {(['colVersion', 'colSent', 'colRead', 'colReplied', 'colOptedOut', 'colBlocked'] as const).map((c) => <th key={c}>{t(`campaigns.ab.${c}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {report.versions.map((v) => (
            <tr key={v.variant} data-testid="report-version" className={choice?.winner === v.variant ? 'winner' : ''}>
              <td title={v.body}><strong>{LETTERS[v.variant]}</strong> <span className="muted version-body">{v.body}</span></td>
              <td>{formatNumber(v.sent, language)}</td>
              <td>{rate(v.read)}</td>
              <td data-testid="report-version-replied">{rate(v.replied)}</td>
              <td>{rate(v.optedOut)}</td>
              <td>{rate(v.blocked)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" data-testid="report-ab-choice">
        {choice
          ? t('campaigns.ab.winner', { letter: LETTERS[choice.winner] ?? '', metric: t(choice.metric === 'replied' ? 'campaigns.ab.metricRepliedShort' : 'campaigns.ab.metricReadShort'), pct: pct(choice.confidence) })
          : waitUntil !== null
            ? t('campaigns.ab.waiting', { date: formatWhen(waitUntil, language) })
            : t('campaigns.ab.noChoice')}
      </p>
    </section>
  );
}
