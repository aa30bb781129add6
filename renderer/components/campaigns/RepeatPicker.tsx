import { useId } from 'react';
import { useI18n } from '../../i18n/i18n';

export type RepeatDraft = { every: 'week' | 'month'; capDays: number };

/** The wizard's repetition (#35 item 4): once, or every week or month with a frequency cap across the runs. */
export function RepeatPicker({ value, onChange }: { value: RepeatDraft | null; onChange(value: RepeatDraft | null): void }) {
  const { t } = useI18n();
  const everyId = useId();
  const capId = useId();
  return (
    <fieldset className="repeat" data-testid="repeat">
      <span className="inline-form">
        <label htmlFor={everyId}>{t('campaigns.recurring.repeat')}</label>
        <select
          id={everyId}
          value={value?.every ?? ''}
          onChange={(e) => onChange(e.target.value ? { every: e.target.value as RepeatDraft['every'], capDays: value?.capDays ?? (e.target.value === 'week' ? 6 : 25) } : null)}
          data-testid="repeat-every"
        >
          <option value="">{t('campaigns.recurring.repeatNo')}</option>
          <option value="week">{t('campaigns.recurring.repeatWeek')}</option>
          <option value="month">{t('campaigns.recurring.repeatMonth')}</option>
        </select>
      </span>
      {value && (
        <>
          <span className="inline-form">
            <label htmlFor={capId}>{t('campaigns.recurring.capDays')}</label>
            <input id={capId} type="number" min={1} max={365} value={value.capDays} onChange={(e) => onChange({ ...value, capDays: Math.max(1, Math.min(365, Math.round(Number(e.target.value) || 1))) })} data-testid="repeat-cap" />
            <span>{t('campaigns.recurring.capDaysUnit')}</span>
          </span>
          <p className="hint">{t('campaigns.recurring.help')}</p>
        </>
      )}
    </fieldset>
  );
}
