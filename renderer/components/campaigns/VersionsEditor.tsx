import { useId } from 'react';
import type { AbTest } from '../../../shared/campaigns';
import { useI18n } from '../../i18n/i18n';

export type AbDraft = Pick<AbTest, 'variants' | 'testShare' | 'waitHours' | 'metric'>;
const LETTERS = ['B', 'C', 'D'];
const SHARES = [20, 30, 50, 100];
const WAITS = [2, 4, 12, 24, 48];

/**
 * The wizard's A/B test (#35 item 5): other versions of the message (the one above is A), the part of the audience
 * the test takes, and after how long the version with more replies (or reads) goes to the rest.
 */
export function VersionsEditor({ value, onChange }: { value: AbDraft | null; onChange(value: AbDraft | null): void }) {
  const { t } = useI18n();
  const shareId = useId();
  const waitId = useId();
  const metricId = useId();
  const setVariant = (i: number, body: string) => value && onChange({ ...value, variants: value.variants.map((v, j) => (j === i ? body : v)) });
  return (
    <fieldset className="versions" data-testid="ab-test">
      <label>
        <input type="checkbox" checked={value !== null} onChange={() => onChange(value ? null : { variants: [''], testShare: 30, waitHours: 4, metric: 'replied' })} data-testid="ab-on" />
        {t('campaigns.ab.on')}
      </label>
      {value && (
        <div className="versions-box">
          <p className="hint">{t('campaigns.ab.why')}</p>
          {value.variants.map((body, i) => (
            <div key={i} className="version" data-testid="ab-version">
              <label htmlFor={`${shareId}-v${i}`}>{t('campaigns.ab.version', { letter: LETTERS[i] ?? '' })}</label>
              <textarea id={`${shareId}-v${i}`} rows={4} value={body} onChange={(e) => setVariant(i, e.target.value)} data-testid="ab-version-body" />
              {value.variants.length > 1 && (
                <button type="button" className="button-link" onClick={() => onChange({ ...value, variants: value.variants.filter((_, j) => j !== i) })} data-testid="ab-version-remove">
                  {t('campaigns.ab.remove', { letter: LETTERS[i] ?? '' })}
                </button>
              )}
            </div>
          ))}
          {value.variants.length < 3 && (
            <button type="button" className="button-secondary" onClick={() => onChange({ ...value, variants: [...value.variants, ''] })} data-testid="ab-version-add">
              {t('campaigns.ab.add')}
            </button>
          )}
          <span className="inline-form">
            <label htmlFor={shareId}>{t('campaigns.ab.share')}</label>
            <select id={shareId} value={value.testShare} onChange={(e) => onChange({ ...value, testShare: Number(e.target.value) })} data-testid="ab-share">
              {SHARES.map((s) => <option key={s} value={s}>{s === 100 ? t('campaigns.ab.shareAll') : t('campaigns.ab.sharePart', { pct: s })}</option>)}
            </select>
          </span>
          {value.testShare < 100 && (
            <span className="inline-form">
              <label htmlFor={waitId}>{t('campaigns.ab.wait')}</label>
              <select id={waitId} value={value.waitHours} onChange={(e) => onChange({ ...value, waitHours: Number(e.target.value) })} data-testid="ab-wait">
                {WAITS.map((h) => <option key={h} value={h}>{t('campaigns.ab.hours', { count: h })}</option>)}
              </select>
              <label htmlFor={metricId}>{t('campaigns.ab.metric')}</label>
              <select id={metricId} value={value.metric} onChange={(e) => onChange({ ...value, metric: e.target.value as AbDraft['metric'] })} data-testid="ab-metric">
                <option value="replied">{t('campaigns.ab.metricReplied')}</option>
                <option value="read">{t('campaigns.ab.metricRead')}</option>
              </select>
            </span>
          )}
          {value.variants.some((v) => v.trim() === '') && <p className="hint" data-testid="ab-empty">{t('campaigns.ab.empty')}</p>}
        </div>
      )}
    </fieldset>
  );
}
