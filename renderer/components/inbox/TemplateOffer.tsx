import { useEffect, useId, useRef, useState } from 'react';
import type { WaTemplate } from '../../../shared/cloud';
import { api } from '../../api/client';
import { newRequestId } from '../../api/request-ids';
import { errorText, useI18n } from '../../i18n/i18n';
import { TemplateBubble } from '../cloud/TemplateBubble';

/**
 * After Meta's 24-hour window, a Cloud number may only send an approved template: the composer offers the
 * account's (those a chat can send — no file, no button values), a value for each {{n}} (the first one the contact's
 * name), the bubble as they will see it. Like an answer, it carries its own id: a repeated click sends it once.
 */
export function TemplateOffer({ phone, numberId, name, onSent }: { phone: string; numberId: string; name: string | null; onSent(): void }) {
  const { t } = useI18n();
  const [templates, setTemplates] = useState<WaTemplate[]>([]);
  const [chosen, setChosen] = useState<WaTemplate | null>(null);
  const [values, setValues] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const clientId = useRef(newRequestId());
  const selectId = useId();
  useEffect(() => {
    api.call('cloud.templates', { numberId }).then(setTemplates, () => undefined);
  }, [numberId]);
  const usable = templates.filter((x) => x.status === 'APPROVED' && (x.header === 'none' || x.header === 'text') && x.cards.length === 0 && !x.buttons.some((b) => b.dynamic));

  const pick = (id: number) => {
    const template = usable.find((x) => x.id === id) ?? null;
    setChosen(template);
    setValues(template ? Array.from({ length: template.params }, (_, i) => (i === 0 && name ? name.split(' ')[0]! : '')) : []);
  };
  const send = async () => {
    if (!chosen || busy || values.some((v) => !v.trim())) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.call('conversations.answer', { phone, clientId: clientId.current, text: '', waTemplate: { templateId: chosen.id, values: values.map((v) => v.trim()) } });
      clientId.current = newRequestId();
      setChosen(null);
      setValues([]);
      onSent();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  if (usable.length === 0) return <p className="composer-off muted">{t('cloud.offerNone')}</p>;
  return (
    <div className="composer composer-template" data-testid="chat-template-offer">
      <div className="field">
        <label htmlFor={selectId}>{t('cloud.offerTemplate')}</label>
        <select id={selectId} value={chosen?.id ?? ''} onChange={(e) => pick(Number(e.target.value))} data-testid="chat-template-pick">
          <option value="">{t('cloud.offerChoose')}</option>
          {usable.map((x) => <option key={x.id} value={x.id}>{`${x.name} (${t(`cloud.categories.${x.category}`)})`}</option>)}
        </select>
      </div>
      {chosen && (
        <>
          {values.map((v, i) => (
            <div className="field" key={i}>
              <label htmlFor={`${selectId}-${i}`}>{t('cloud.offerValue', { n: i + 1 })}</label>
              <input type="text" id={`${selectId}-${i}`} value={v} maxLength={1024} onChange={(e) => setValues(values.map((x, j) => (j === i ? e.target.value : x)))} data-testid="chat-template-value" />
            </div>
          ))}
          <TemplateBubble template={chosen} values={values} />
          <button type="button" onClick={() => void send()} disabled={busy || values.some((v) => !v.trim())} data-testid="chat-template-send">{t('cloud.offerSend')}</button>
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
