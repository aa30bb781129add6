import { useEffect, useId, useRef, useState } from 'react';
import type { TestSend } from '../../../shared/messages';
import type { CloudTemplateChoice } from '../../../shared/cloud';
import { api } from '../../api/client';
import { errorText, useI18n } from '../../i18n/i18n';
import { useNumbers } from '../../state/use-numbers';
import { formatPhone } from '../../format';
import { furthest } from './test-receipts';

/** WhatsApp's own marks: one grey tick sent, two delivered, two blue read. */
const TICKS: Partial<Record<string, string>> = { sent: '✓', delivered: '✓✓', read: '✓✓' };

/** Sends the message to the user's own spare number and shows its receipts as they come. */
export function TestSendPanel(props: { body: string; mediaId: string | null; contacts: { id: number; label: string }[]; disabled: boolean; cloud?: CloudTemplateChoice }) {
  const { t } = useI18n();
  const { numbers } = useNumbers();
  // A template goes from a Cloud number, free text from a linked phone: the test goes as the campaign will.
  const connected = (numbers ?? []).filter((n) => n.state === 'connected' && (n.kind === 'cloud') === (props.cloud !== undefined));
  const [numberId, setNumberId] = useState('');
  const [to, setTo] = useState('');
  const [contactId, setContactId] = useState<number | null>(null);
  const [result, setResult] = useState<TestSend>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = { number: useId(), to: useId(), as: useId() };
  const chosen = numberId || connected[0]?.id || '';

  // Receipts seen before the send's own answer, by test id: the answer merges them instead of going back to "sent".
  const seen = useRef(new Map<number, TestSend>());
  useEffect(
    () =>
      api.on('messages.testStatus', (update) => {
        seen.current.set(update.id, furthest(update, seen.current.get(update.id)));
        setResult((current) => (current && current.id === update.id ? furthest(current, update) : current));
      }),
    [],
  );

  const send = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.call('messages.testSend', { numberId: chosen, to, body: props.body, mediaId: props.mediaId, contactId, ...(props.cloud ? { cloud: props.cloud } : {}) });
      setResult(furthest(answer, seen.current.get(answer.id)));
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card test-send" data-testid="test-send">
      <h2>{t('messages.testTitle')}</h2>
      <p className="hint">{t('messages.testHelp')}</p>
      {connected.length === 0 ? (
        <p className="banner banner-warning">{t('messages.testNoNumbers')}</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={ids.number}>{t('messages.testNumber')}</label>
            <select id={ids.number} value={chosen} onChange={(e) => setNumberId(e.target.value)} data-testid="test-number">
              {connected.map((n) => (
                <option key={n.id} value={n.id}>{`${n.label} (${formatPhone(n.phone)})`}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.to}>{t('messages.testTo')}</label>
            <input id={ids.to} type="text" inputMode="tel" value={to} placeholder={t('messages.testToPlaceholder')} onChange={(e) => setTo(e.target.value)} data-testid="test-to" />
          </div>
          <div className="field">
            <label htmlFor={ids.as}>{t('messages.testAs')}</label>
            <select id={ids.as} value={contactId ?? ''} onChange={(e) => setContactId(e.target.value ? Number(e.target.value) : null)} data-testid="test-as">
              <option value="">{t('messages.testSample')}</option>
              {props.contacts.map((c) => (
                <option key={c.id} value={c.id}>{c.label}</option>
              ))}
            </select>
          </div>
          <button type="button" disabled={busy || props.disabled || to.trim() === ''} onClick={() => void send()} data-testid="test-send-button">
            {t('messages.testSend')}
          </button>
        </>
      )}
      {result && (
        <p className={`banner ${result.status === 'failed' ? 'banner-error' : 'banner-ok'}`} role="status" data-testid="test-status" data-status={result.status}>
          {t(`messages.testStatus.${result.status}`)}
          {TICKS[result.status] && <span className={`ticks ticks-${result.status}`} aria-hidden="true"> {TICKS[result.status]}</span>}
          {result.error ? ` — ${t(`messages.testReasons.${result.error}`)}` : ''} · {formatPhone(result.phone)}
        </p>
      )}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </section>
  );
}
