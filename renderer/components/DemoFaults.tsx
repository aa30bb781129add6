import { useId, useState } from 'react';
import { SIM_FAULTS, type NumberView, type SimFault } from '../../shared/numbers';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';

/** Demo numbers only: make the number meet a problem real WhatsApp has, to see what the app does about it. */
export function DemoFaults({ number }: { number: NumberView }) {
  const { t } = useI18n();
  const selectId = useId();
  const [fault, setFault] = useState<SimFault>('in_doubt_next');
  const [done, setDone] = useState<SimFault | null>(null);
  const { run, busy, error } = useAction();
  return (
    <details className="demo-faults" data-testid="demo-faults">
      <summary>{t('numbers.faults.title')}</summary>
      <div className="inline-form">
        <label htmlFor={selectId}>{t('numbers.faults.label')}</label>
        <select id={selectId} value={fault} onChange={(e) => setFault(e.target.value as SimFault)} data-testid="demo-fault-select">
          {SIM_FAULTS.map((f) => (
            <option key={f} value={f}>{t(`numbers.faults.${f}`)}</option>
          ))}
        </select>
        <button
          type="button"
          className="button-secondary"
          disabled={busy}
          data-testid="demo-fault-run"
          onClick={() => void run(() => api.call('numbers.simulateFault', { id: number.id, fault })).then((ok) => ok && setDone(fault))}
        >
          {t('numbers.faults.run')}
        </button>
      </div>
      {done && <p className="hint" data-testid="demo-fault-explain">{t(`numbers.faults.explain.${done}`)}</p>}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </details>
  );
}
