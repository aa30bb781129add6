import { useId, useState } from 'react';
import { TEMPLATE_CATEGORIES, type CloudPrices } from '../../../shared/cloud';
import { useI18n } from '../../i18n/i18n';
import { useAppState } from '../../state/app-state';
import { useAction } from '../../state/use-action';
import { useToast } from '../../state/toast';

const KEYS = [...TEMPLATE_CATEGORIES, 'SERVICE'] as const;

/** Settings › what Meta charges per delivered message by category, for the estimate and the report (Meta revises it). */
export function CloudPricesPanel() {
  const { t } = useI18n();
  const { settings, updateSettings } = useAppState();
  const [prices, setPrices] = useState<Record<string, string>>(() => Object.fromEntries(KEYS.map((k) => [k, String(settings.cloudPrices[k])])));
  const { run, busy, error } = useAction();
  const toast = useToast();
  const id = useId();
  return (
    <form
      className="card form"
      data-testid="cloud-prices"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await updateSettings({ cloudPrices: Object.fromEntries(KEYS.map((k) => [k, Number(prices[k])])) as CloudPrices });
          toast(t('toast.settingsSaved'));
        });
      }}
    >
      <h3>{t('cloud.pricesTitle')}</h3>
      <p className="help">{t('cloud.pricesHelp')}</p>
      {KEYS.map((k) => (
        <div className="field" key={k}>
          <label htmlFor={`${id}-${k}`}>{t(`cloud.categories.${k}`)}</label>
          <input id={`${id}-${k}`} type="number" min={0} max={10} step="0.0001" value={prices[k]} onChange={(e) => setPrices({ ...prices, [k]: e.target.value })} data-testid={`cloud-price-${k}`} />
        </div>
      ))}
      <button type="submit" disabled={busy}>{t('common.save')}</button>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </form>
  );
}
