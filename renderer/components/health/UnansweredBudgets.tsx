import { useEffect, useId, useState } from 'react';
import { BUDGET_LIMITS, type NumberHealth } from '../../../shared/health';
import { api } from '../../api/client';
import { errorText, useI18n } from '../../i18n/i18n';
import { useToast } from '../../state/toast';

/** One number's budget: the suggested one, or the user's own (lower, or higher with a warning). */
function BudgetRow({ health, onSaved }: { health: NumberHealth; onSaved: (h: NumberHealth) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const id = useId();
  const [value, setValue] = useState(String(health.month.budget));
  const [error, setError] = useState<string>();
  const parsed = Number(value);
  const high = Number.isFinite(parsed) && parsed > BUDGET_LIMITS.default;
  const save = async (budget: number | null) => {
    setError(undefined);
    try {
      const saved = await api.call('health.setBudget', { numberId: health.numberId, budget });
      setValue(String(saved.month.budget));
      onSaved(saved);
      toast(t('health.budgetSaved'));
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  return (
    <form
      className="field budget-row"
      onSubmit={(e) => {
        e.preventDefault();
        void save(Math.round(parsed));
      }}
      data-testid="budget-row"
    >
      <label htmlFor={id}>{t('health.budgetField', { label: health.label })}</label>
      <div className="row">
        <input id={id} type="number" min={BUDGET_LIMITS.min} max={BUDGET_LIMITS.max} step={50} value={value} onChange={(e) => setValue(e.target.value)} data-testid="budget-input" />
        <button type="submit">{t('common.save')}</button>
        {health.month.ownBudget && (
          <button type="button" className="button-secondary" onClick={() => void save(null)} data-testid="budget-default">
            {t('health.budgetDefault', { default: BUDGET_LIMITS.default })}
          </button>
        )}
      </div>
      {high && <p className="banner banner-warning" data-testid="budget-high">{t('health.budgetHigh', { default: BUDGET_LIMITS.default })}</p>}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </form>
  );
}

/** Settings: each number's monthly budget of messages to people who never answered. */
export function UnansweredBudgets() {
  const { t } = useI18n();
  const [health, setHealth] = useState<NumberHealth[]>();
  useEffect(() => {
    api.call('health.get', {}).then(setHealth, () => undefined);
  }, []);
  if (!health || health.length === 0) return null;
  return (
    <div className="card" data-testid="settings-budgets">
      <h2>{t('health.budgetTitle')}</h2>
      <p className="help">{t('health.budgetHelp', { default: BUDGET_LIMITS.default })}</p>
      {health.map((h) => (
        <BudgetRow key={h.numberId} health={h} onSaved={(saved) => setHealth((all) => all?.map((x) => (x.numberId === saved.numberId ? saved : x)))} />
      ))}
    </div>
  );
}
