import { useId } from 'react';
import type { FollowUpPlan } from '../../../shared/campaigns';
import { useI18n } from '../../i18n/i18n';

export type FollowUpDraft = Pick<FollowUpPlan, 'afterDays' | 'who' | 'body'>;

/**
 * The wizard's follow-up (#35 item 3): a second message N days after the first, only to who read or replied to it —
 * never to who never opened it (the cold traffic WhatsApp limits), never to an opt-out.
 */
export function FollowUpPlanner({ value, onChange }: { value: FollowUpDraft | null; onChange(value: FollowUpDraft | null): void }) {
  const { t } = useI18n();
  const daysId = useId();
  const whoId = useId();
  const bodyId = useId();
  return (
    <fieldset className="follow-up" data-testid="follow-up">
      <label>
        <input type="checkbox" checked={value !== null} onChange={() => onChange(value ? null : { afterDays: 3, who: 'read_or_replied', body: '' })} data-testid="follow-up-on" />
        {t('campaigns.followUp.on')}
      </label>
      {value && (
        <div className="follow-up-box">
          <p className="hint">{t('campaigns.followUp.why')}</p>
          <span className="inline-form">
            <label htmlFor={daysId}>{t('campaigns.followUp.afterDays')}</label>
            <input id={daysId} type="number" min={1} max={30} value={value.afterDays} onChange={(e) => onChange({ ...value, afterDays: Math.max(1, Math.min(30, Math.round(Number(e.target.value) || 1))) })} data-testid="follow-up-days" />
            <label htmlFor={whoId}>{t('campaigns.followUp.who')}</label>
            <select id={whoId} value={value.who} onChange={(e) => onChange({ ...value, who: e.target.value as FollowUpDraft['who'] })} data-testid="follow-up-who">
              <option value="read_or_replied">{t('campaigns.followUp.whoRead')}</option>
              <option value="replied">{t('campaigns.followUp.whoReplied')}</option>
            </select>
          </span>
          <label htmlFor={bodyId}>{t('campaigns.followUp.body')}</label>
          <textarea id={bodyId} rows={4} value={value.body} placeholder={t('campaigns.followUp.placeholder')} onChange={(e) => onChange({ ...value, body: e.target.value })} data-testid="follow-up-body" />
          {value.body.trim() === '' && <p className="hint" data-testid="follow-up-empty">{t('campaigns.followUp.empty')}</p>}
        </div>
      )}
    </fieldset>
  );
}
