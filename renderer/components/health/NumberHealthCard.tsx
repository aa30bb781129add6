import type { NumberView } from '../../../shared/numbers';
import type { HealthView, NumberHealth } from '../../../shared/health';
import { formatDay, formatPercent } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** The score's band: good, watch, act now. */
export function healthTone(score: number | null): 'good' | 'warn' | 'bad' | 'none' {
  if (score === null) return 'none';
  return score >= 80 ? 'good' : score >= 60 ? 'warn' : 'bad';
}

function Score({ health, window }: { health: HealthView; window: 'last7' | 'last30' }) {
  const { t } = useI18n();
  return (
    <span className={`health-score health-${healthTone(health.score)}`} data-testid={`health-${window}`}>
      <strong>{health.score === null ? '—' : t('health.score', { score: health.score })}</strong> {t(`health.${window}`)}
    </span>
  );
}

/**
 * A number's health on the Numbers page: its score over 7 and 30 days, the one thing to do next, every factor in
 * words with the points it takes, and the month's unanswered messages against the budget.
 */
/** `limits`: what WhatsApp states of the number's limits; its cap, when stated, is shown instead of the app's budget. */
export function NumberHealthCard({ health, limits = null }: { health: NumberHealth; limits?: NumberView['limits'] }) {
  const { t, language } = useI18n();
  const { last7, last30, month } = health;
  return (
    <section className="card health-card" data-testid="number-health" aria-label={t('health.title')}>
      <header className="row-between">
        <h3>{t('health.title')}</h3>
        <span className="health-scores">
          <Score health={last7} window="last7" /> <Score health={last30} window="last30" />
        </span>
      </header>
      {last7.score === null ? (
        <p className="hint">{t('health.noData')}</p>
      ) : (
        <p className={`health-advice health-${healthTone(last7.score)}`} data-testid="health-advice">
          <strong>{t('health.next')}</strong> {t(`health.advice.${last7.advice ?? 'keep_going'}`)}
        </p>
      )}
      {limits?.cap ? (
        <div className="health-month" data-testid="health-wa-cap">
          <span>{t('waLimits.dash', { used: limits.cap.used, total: limits.cap.total })}</span>
          <progress className={limits.cap.level !== 'none' ? 'progress-warn' : undefined} max={Math.max(1, limits.cap.total)} value={Math.min(limits.cap.used, limits.cap.total)} />
          <p className="hint">
            {t('waLimits.healthHelp')}
            {limits.cap.cycleEndsAt !== null && <> {t('waLimits.renews', { when: formatDay(limits.cap.cycleEndsAt, language) })}</>}
          </p>
        </div>
      ) : (
        <div className="health-month" data-testid="health-month">
          <span>{t('health.month', { used: month.unanswered, budget: month.budget })}</span>
          <progress className={month.near ? 'progress-warn' : undefined} max={Math.max(1, month.budget)} value={Math.min(month.unanswered, month.budget)} />
          <p className="hint">{t('health.monthHelp', { when: formatDay(month.monthEnd, language) })}</p>
        </div>
      )}
      {last7.score !== null && (
        <details className="health-factors">
          <summary>{t('health.factorsTitle')}</summary>
          <ul>
            {last7.factors.map((f) => (
              <li key={f.key} data-testid="health-factor" data-factor={f.key}>
                {t(`health.factor.${f.key}`, { rate: formatPercent(f.rate, language) })}{' '}
                <span className={f.penalty > 0 ? 'badge badge-warn' : 'muted'}>{f.penalty > 0 ? t('health.lost', { points: f.penalty, max: f.max }) : t('health.lostNone', { max: f.max })}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
