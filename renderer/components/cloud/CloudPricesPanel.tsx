import { useId, useState } from 'react';
import { TEMPLATE_CATEGORIES, type CloudPrices, type CloudRates } from '../../../shared/cloud';
import { useI18n } from '../../i18n/i18n';
import { useAppState } from '../../state/app-state';
import { useAction } from '../../state/use-action';
import { useToast } from '../../state/toast';

const KEYS = [...TEMPLATE_CATEGORIES, 'SERVICE'] as const;
type Row = { market: string; rates: Record<(typeof KEYS)[number], string> };

const rowOf = (market: string, rates: CloudRates): Row => ({ market, rates: Object.fromEntries(KEYS.map((k) => [k, String(rates[k])])) as Row['rates'] });

/**
 * Settings › what Meta charges per delivered message, by category and by the recipient's country (Meta's rate card,
 * dated: Meta revises it), for the estimate and the report. "Otros países" prices everyone whose country has no row.
 */
export function CloudPricesPanel() {
  const { t } = useI18n();
  const { settings, updateSettings } = useAppState();
  const [asOf, setAsOf] = useState(settings.cloudPrices.asOf);
  const [rows, setRows] = useState<Row[]>(() => {
    const markets = Object.entries(settings.cloudPrices.markets);
    // Countries first, in the order they were added; everyone else last.
    return [...markets.filter(([m]) => m !== 'OTHER'), ...markets.filter(([m]) => m === 'OTHER')].map(([m, r]) => rowOf(m, r));
  });
  const [adding, setAdding] = useState('');
  const { run, busy, error } = useAction();
  const toast = useToast();
  const id = useId();
  const code = adding.trim().toUpperCase();
  const canAdd = /^[A-Z]{2}$/.test(code) && !rows.some((r) => r.market === code);
  const other = rows.find((r) => r.market === 'OTHER');

  const set = (market: string, key: (typeof KEYS)[number], value: string) => setRows(rows.map((r) => (r.market === market ? { ...r, rates: { ...r.rates, [key]: value } } : r)));
  const add = () => {
    if (!canAdd || !other) return;
    setRows([...rows.filter((r) => r.market !== 'OTHER'), { market: code, rates: { ...other.rates } }, other]);
    setAdding('');
  };

  return (
    <form
      className="card form"
      data-testid="cloud-prices"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const markets = Object.fromEntries(rows.map((r) => [r.market, Object.fromEntries(KEYS.map((k) => [k, Number(r.rates[k])]))])) as CloudPrices['markets'];
          await updateSettings({ cloudPrices: { asOf, markets } });
          toast(t('toast.settingsSaved'));
        });
      }}
    >
      <h3>{t('cloud.pricesTitle')}</h3>
      <p className="help">{t('cloud.pricesHelp')}</p>
      <div className="field">
        <label htmlFor={`${id}-asof`}>{t('cloud.pricesAsOf')}</label>
        <input id={`${id}-asof`} type="date" required value={asOf} onChange={(e) => setAsOf(e.target.value)} data-testid="cloud-prices-asof" />
      </div>
      <div className="table-scroll">
        <table className="prices-table" data-testid="cloud-prices-table">
          <thead>
            <tr>
              <th scope="col">{t('cloud.pricesMarket')}</th>
              {KEYS.map((k) => (
                <th scope="col" key={k}>{t(`cloud.categories.${k}`)}</th>
              ))}
              <th scope="col"><span className="visually-hidden">{t('cloud.pricesRemove')}</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.market} data-testid="cloud-prices-row" data-market={r.market}>
                <th scope="row">{r.market === 'OTHER' ? t('cloud.pricesOther') : r.market}</th>
                {KEYS.map((k) => (
                  <td key={k}>
                    <input
                      type="number"
                      min={0}
                      max={10}
                      step="0.0001"
                      required
                      aria-label={`${r.market === 'OTHER' ? t('cloud.pricesOther') : r.market} · ${t(`cloud.categories.${k}`)}`}
                      value={r.rates[k]}
                      onChange={(e) => set(r.market, k, e.target.value)}
                      data-testid={`cloud-price-${r.market}-${k}`}
                    />
                  </td>
                ))}
                <td>
                  {r.market !== 'OTHER' && (
                    <button type="button" className="button-secondary" onClick={() => setRows(rows.filter((x) => x.market !== r.market))} aria-label={t('cloud.pricesRemoveOne', { market: r.market })} data-testid="cloud-prices-remove">
                      ✕
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <label htmlFor={`${id}-add`}>{t('cloud.pricesCountry')}</label>
        <input type="text" id={`${id}-add`} value={adding} maxLength={2} placeholder="CO" onChange={(e) => setAdding(e.target.value)} data-testid="cloud-prices-country" style={{ width: '4em' }} />
        <button type="button" className="button-secondary" disabled={!canAdd} onClick={add} data-testid="cloud-prices-add">{t('cloud.pricesAdd')}</button>
      </div>
      <button type="submit" disabled={busy} data-testid="cloud-prices-save">{t('common.save')}</button>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </form>
  );
}
