import { useEffect, useId, useRef, useState } from 'react';
import { templateBody, type CloudTemplateChoice, type WaTemplate } from '../../../shared/cloud';
import { BUILTIN_FIELDS } from '../../../shared/messages';
import { api } from '../../api/client';
import { uploadFile } from '../../api/files';
import { errorText, useI18n } from '../../i18n/i18n';
import { TemplateBubble } from './TemplateBubble';

/**
 * The wizard's message on Cloud API numbers: one of the account's approved templates (Meta reviewed its text),
 * and which contact field fills each of its parameters. Variations do not apply: the text is Meta's.
 */
export function CloudTemplatePicker({ choice, onChange }: { choice: CloudTemplateChoice | null; onChange: (choice: CloudTemplateChoice | null, body: string, template: WaTemplate | null) => void }) {
  const { t } = useI18n();
  const [templates, setTemplates] = useState<WaTemplate[]>([]);
  // The built-in fields are there from the first render: a template picked before the custom ones arrive keeps its
  // first parameter on «nombre» instead of an empty choice.
  const [fields, setFields] = useState<string[]>([...BUILTIN_FIELDS]);
  const templateId = useId();
  useEffect(() => {
    api.call('cloud.templates', { numberId: null }).then(setTemplates, () => undefined);
    api.call('contacts.fields', {}).then((custom) => setFields([...BUILTIN_FIELDS, ...custom.filter((f) => !(BUILTIN_FIELDS as readonly string[]).includes(f))]), () => setFields([...BUILTIN_FIELDS]));
  }, []);
  const [cardError, setCardError] = useState<string>();
  const approved = templates.filter((x) => x.status === 'APPROVED');
  const chosen = approved.find((x) => x.id === choice?.templateId) ?? null;
  const pick = (template: WaTemplate | null, params: string[], extra: Pick<CloudTemplateChoice, 'buttons' | 'cardMediaIds'> = {}) =>
    onChange(template ? { templateId: template.id, params, ...extra } : null, template ? templateBody(template, params) : '', template);
  const extraOf = (): Pick<CloudTemplateChoice, 'buttons' | 'cardMediaIds'> => ({ ...(choice?.buttons ? { buttons: choice.buttons } : {}), ...(choice?.cardMediaIds ? { cardMediaIds: choice.cardMediaIds } : {}) });
  // Each button that takes a value at the send: a link's end (a contact field) or the code to copy (one text).
  const setButton = (index: number, value: { field?: string; text?: string }) => {
    const others = (choice?.buttons ?? []).filter((b) => b.index !== index);
    const given = value.field || value.text ? [{ index, ...value }] : [];
    pick(chosen, choice?.params ?? [], { ...extraOf(), buttons: [...others, ...given].sort((a, b) => a.index - b.index) });
  };
  // The cards' files as their uploads finish: two picked at once each land in their own place (read from here, not
  // from the choice this render saw, which the first upload to finish has already replaced).
  const cardIds = useRef<string[]>(choice?.cardMediaIds ?? []);
  const setCard = async (i: number, file: File | undefined) => {
    if (!file || !chosen) return;
    setCardError(undefined);
    try {
      const media = await api.call('media.add', { uploadId: (await uploadFile(file)).uploadId });
      const ids = Array.from({ length: chosen.cards.length }, (_, j) => cardIds.current[j] ?? '');
      ids[i] = media.id;
      cardIds.current = ids;
      pick(chosen, choice?.params ?? [], { ...extraOf(), cardMediaIds: ids });
    } catch (e) {
      setCardError(errorText(t, e));
    }
  };
  return (
    <div className="cloud-picker" data-testid="cloud-picker">
      {approved.length === 0 && <p className="banner banner-warning" data-testid="cloud-no-approved">{t('cloud.noApproved')}</p>}
      <div className="field">
        <label htmlFor={templateId}>{t('cloud.pickTemplate')}</label>
        <select
          id={templateId}
          value={chosen?.id ?? ''}
          onChange={(e) => {
            const template = approved.find((x) => x.id === Number(e.target.value)) ?? null;
            cardIds.current = [];
            pick(template, template ? Array.from({ length: template.params }, (_, i) => (i === 0 ? 'nombre' : '')) : []);
          }}
          data-testid="cloud-template-select"
        >
          <option value="">{t('cloud.pickNone')}</option>
          {approved.map((x) => <option key={x.id} value={x.id}>{`${x.name} (${x.language}, ${t(`cloud.categories.${x.category}`)})`}</option>)}
        </select>
      </div>
      {chosen && (
        <>
          <div data-testid="cloud-template-text">
            <TemplateBubble template={chosen} values={(choice?.params ?? []).map((f) => (f ? `{{${f}}}` : ''))} />
          </div>
          {chosen.buttons.some((b) => b.stopPromotions) && <p className="help">{t('cloud.stopPromotionsNote')}</p>}
          {chosen.header !== 'none' && chosen.header !== 'text' && <p className="hint">{t('cloud.headerNeedsMedia', { kind: t(`cloud.headers.${chosen.header}`) })}</p>}
          {Array.from({ length: chosen.params }, (_, i) => (
            <div className="field" key={i}>
              <label htmlFor={`${templateId}-${i}`}>{t('cloud.paramField', { n: i + 1 })}</label>
              <select
                id={`${templateId}-${i}`}
                value={choice?.params[i] ?? ''}
                onChange={(e) => {
                  const params = [...(choice?.params ?? [])];
                  params[i] = e.target.value;
                  pick(chosen, params, extraOf());
                }}
                data-testid="cloud-param"
              >
                <option value="">{t('cloud.paramChoose')}</option>
                {fields.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </div>
          ))}
          {chosen.buttons.map((b, index) =>
            b.dynamic ? (
              <div className="field" key={`b${index}`}>
                <label htmlFor={`${templateId}-b${index}`}>{b.type === 'URL' ? `${t('cloud.buttonValue', { text: b.text })} · ${t('cloud.buttonValueUrl')}` : t('cloud.buttonValueCode')}</label>
                {b.type === 'URL' ? (
                  <select id={`${templateId}-b${index}`} value={choice?.buttons?.find((x) => x.index === index)?.field ?? ''} onChange={(e) => setButton(index, { field: e.target.value })} data-testid="cloud-button-field">
                    <option value="">{t('cloud.paramChoose')}</option>
                    {fields.map((f) => <option key={f} value={f}>{f}</option>)}
                  </select>
                ) : (
                  <input type="text" id={`${templateId}-b${index}`} maxLength={15} value={choice?.buttons?.find((x) => x.index === index)?.text ?? ''} onChange={(e) => setButton(index, { text: e.target.value })} data-testid="cloud-button-text" />
                )}
              </div>
            ) : null,
          )}
          {chosen.cards.map((card, i) => (
            <div className="field" key={`c${i}`}>
              <label htmlFor={`${templateId}-c${i}`}>{t('cloud.cardMedia', { n: i + 1 })}</label>
              <input id={`${templateId}-c${i}`} type="file" accept={card.header === 'video' ? 'video/mp4' : 'image/jpeg,image/png'} onChange={(e) => void setCard(i, e.target.files?.[0])} data-testid="cloud-card-file" />
              {choice?.cardMediaIds?.[i] && <span className="badge badge-ok">✓</span>}
            </div>
          ))}
          {cardError && <p role="alert" className="banner banner-error">{cardError}</p>}
          <p className="hint">{t('cloud.noVariations')}</p>
        </>
      )}
    </div>
  );
}
