import { useId, useState } from 'react';
import type { NumberView } from '../../shared/numbers';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';

/** Linking by phone number, for when the QR cannot be scanned: the user types their number, then the code on the phone. */
export function PairingPanel({ number }: { number: NumberView }) {
  const { t } = useI18n();
  const phoneId = useId();
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState('');
  // With a code shown, the user may still have typed the wrong number: they can ask again for another.
  const [changing, setChanging] = useState(false);
  const { run, busy, error } = useAction();
  const code = changing ? null : number.pairingCode;
  const digits = phone.replace(/\D/g, '').length;

  if (!open && !code) {
    return (
      <button type="button" className="button-link" data-testid="pairing-open" onClick={() => setOpen(true)}>
        {t('numbers.pairing.open')}
      </button>
    );
  }
  return (
    <section className="pairing" data-testid="pairing-panel">
      <h3>{t('numbers.pairing.title')}</h3>
      {code ? (
        <>
          <p className="pairing-code" data-testid="pairing-code" aria-label={t('numbers.pairing.codeLabel')}>
            {code.slice(0, 4)}-{code.slice(4)}
          </p>
          <ol>
            <li>{t('numbers.step1')}</li>
            <li>{t('numbers.step2')}</li>
            <li>{t('numbers.pairing.stepLinked')}</li>
            <li>{t('numbers.pairing.step3')}</li>
            <li>{t('numbers.pairing.step4')}</li>
          </ol>
          <button type="button" className="button-link" onClick={() => setChanging(true)} data-testid="pairing-change">
            {t('numbers.pairing.change')}
          </button>
        </>
      ) : (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await api.call('numbers.requestPairingCode', { id: number.id, phone });
              setChanging(false);
            });
          }}
        >
          <label htmlFor={phoneId}>{t('numbers.pairing.phone')}</label>
          <input id={phoneId} type="tel" inputMode="tel" autoComplete="tel" value={phone} placeholder="55 1234 5678" onChange={(e) => setPhone(e.target.value)} data-testid="pairing-phone" />
          <button type="submit" disabled={busy || digits < 8} data-testid="pairing-request">
            {t('numbers.pairing.request')}
          </button>
          {/* Why the button waits: said as soon as something is typed (#30 item 9). */}
          {digits > 0 && digits < 8 && <p className="hint" data-testid="pairing-short">{t('numbers.pairing.short')}</p>}
        </form>
      )}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </section>
  );
}
