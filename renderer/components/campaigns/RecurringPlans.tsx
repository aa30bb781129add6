import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { RecurringPlan } from '../../../shared/campaigns';
import { api } from '../../api/client';
import { formatWhen } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';

/** Campañas' recurring campaigns (#35 item 4): how often, the next run, pause or end, and each run with its report. */
export function RecurringPlans() {
  const { t, language } = useI18n();
  const [plans, setPlans] = useState<RecurringPlan[]>([]);
  const [ending, setEnding] = useState<number | null>(null);
  const { run, error } = useAction();
  useEffect(() => {
    const load = () => api.call('recurring.list', {}).then(setPlans, () => undefined);
    void load();
    const offPlans = api.on('recurring.changed', () => void load());
    const offProgress = api.on('campaigns.progress', () => void load());
    return () => {
      offPlans();
      offProgress();
    };
  }, []);
  if (plans.length === 0) return null;
  return (
    <section className="card recurring" data-testid="recurring-plans">
      <h2>{t('campaigns.recurring.title')}</h2>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
      {plans.map((plan) => (
        <div key={plan.id} className="recurring-plan" data-testid="recurring-plan" data-active={plan.active}>
          <p className="row-between">
            <span>
              <strong>{plan.name}</strong> · {t(plan.every === 'week' ? 'campaigns.recurring.everyWeek' : 'campaigns.recurring.everyMonth')} ·{' '}
              {t('campaigns.recurring.cap', { days: plan.capDays })}
            </span>
            <span className="actions">
              <button type="button" className="button-secondary" onClick={() => void run(() => api.call('recurring.setActive', { id: plan.id, active: !plan.active }))} data-testid="recurring-toggle">
                {t(plan.active ? 'campaigns.recurring.pause' : 'campaigns.recurring.resume')}
              </button>
              {ending === plan.id ? (
                <span className="confirm">
                  {t('campaigns.recurring.confirmEnd', { name: plan.name })}
                  <button type="button" className="button-danger" onClick={() => void run(() => api.call('recurring.delete', { id: plan.id })).then(() => setEnding(null))} data-testid="recurring-end-confirm">
                    {t('campaigns.recurring.end')}
                  </button>
                  <button type="button" className="button-secondary" onClick={() => setEnding(null)}>{t('campaigns.recurring.cancel')}</button>
                </span>
              ) : (
                <button type="button" className="button-secondary button-danger-outline" onClick={() => setEnding(plan.id)} data-testid="recurring-end">{t('campaigns.recurring.end')}</button>
              )}
            </span>
          </p>
          <p className="hint" data-testid="recurring-next">
            {plan.active ? t('campaigns.recurring.next', { date: formatWhen(plan.nextAt, language) }) : t('campaigns.recurring.paused')}
          </p>
          {plan.runs.length > 0 && (
            <ul className="recurring-runs">
              {plan.runs.map((r) => (
                <li key={r.id} data-testid="recurring-run">
                  <Link to={`/campanas/${r.id}`}>{r.name}</Link> · {t(`campaigns.states.${r.state}`)} · {t('campaigns.recurring.runFigures', { sent: r.sent, skipped: r.skipped })}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
