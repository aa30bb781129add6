import { useEffect, useId, useState } from 'react';
import type { NumberHealth } from '../../shared/health';
import { api } from '../api/client';
import { LinkWarnings } from '../components/LinkWarnings';
import { NumberCard } from '../components/NumberCard';
import { NumberHealthCard } from '../components/health/NumberHealthCard';
import { CloudAddForm } from '../components/cloud/CloudAddForm';
import { CloudNumberPanel } from '../components/cloud/CloudNumberPanel';
import { errorText, useI18n } from '../i18n/i18n';
import { useNumbers } from '../state/use-numbers';

export function NumbersPage() {
  const { t } = useI18n();
  const { numbers, error: loadError } = useNumbers();
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const labelId = useId();
  const health = useHealth();

  const add = async (kind: 'real' | 'demo') => {
    setBusy(true);
    setError(undefined);
    try {
      await api.call('numbers.add', { kind, ...(label.trim() ? { label: label.trim() } : {}) });
      setLabel('');
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page" data-testid="page-numbers">
      <header className="page-header">
        <h1>{t('numbers.title')}</h1>
        <p className="lead">{t('numbers.intro')}</p>
      </header>

      <div className="card">
        <h2>{t('numbers.addTitle')}</h2>
        <div className="field">
          <label htmlFor={labelId}>{t('numbers.labelField')}</label>
          <input id={labelId} type="text" value={label} maxLength={60} placeholder={t('numbers.labelPlaceholder')} onChange={(e) => setLabel(e.target.value)} data-testid="number-label-input" />
        </div>
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void add('real')} data-testid="add-real">{t('numbers.addReal')}</button>
          <button type="button" className="button-secondary" disabled={busy} onClick={() => void add('demo')} data-testid="add-demo">{t('numbers.addDemo')}</button>
        </div>
        <p className="hint">{t('numbers.demoHelp')}</p>
        {error && <p role="alert" className="banner banner-error">{error}</p>}
        {/* Once a number shows its QR, the same advice is beside it: said once, where the user is looking. */}
        {!numbers?.some((n) => n.state === 'qr') && <LinkWarnings />}
      </div>

      <CloudAddForm />

      {loadError !== undefined && <p role="alert" className="banner banner-error">{errorText(t, loadError)}</p>}
      {numbers?.length === 0 && <p className="empty" data-testid="numbers-empty">{t('numbers.empty')}</p>}
      <div className="number-list" data-testid="number-list">
        {numbers?.map((number) => {
          const h = health?.find((x) => x.numberId === number.id);
          return (
            <div key={number.id} className="number-with-health">
              <NumberCard number={number} />
              {number.kind === 'cloud' && <CloudNumberPanel number={number} />}
              {/* A Cloud number's health is Meta's quality rating and tier, in its panel; the phone budget does not apply. */}
              {h && number.kind !== 'cloud' && <NumberHealthCard health={h} limits={number.limits} />}
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** Every number's health, kept fresh as campaigns send and replies arrive (at most every 2 s). */
function useHealth(): NumberHealth[] | undefined {
  const [health, setHealth] = useState<NumberHealth[]>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => void api.call('health.get', {}).then(setHealth, () => undefined);
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        load();
      }, 2000);
    };
    load();
    const offs = [api.on('campaigns.progress', soon), api.on('numbers.changed', soon), api.on('inbox.changed', soon)];
    return () => {
      offs.forEach((off) => off());
      clearTimeout(timer);
    };
  }, []);
  return health;
}
