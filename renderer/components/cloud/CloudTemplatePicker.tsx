import { useEffect, useId, useState } from 'react';
import { templateBody, type CloudTemplateChoice, type WaTemplate } from '../../../shared/cloud';
import { BUILTIN_FIELDS } from '../../../shared/messages';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';

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
  const approved = templates.filter((x) => x.status === 'APPROVED');
  const chosen = approved.find((x) => x.id === choice?.templateId) ?? null;
  const pick = (template: WaTemplate | null, params: string[]) => onChange(template ? { templateId: template.id, params } : null, template ? templateBody(template, params) : '', template);
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
          <p className="template-body" data-testid="cloud-template-text">{chosen.body}</p>
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
                  pick(chosen, params);
                }}
                data-testid="cloud-param"
              >
                <option value="">{t('cloud.paramChoose')}</option>
                {fields.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </div>
          ))}
          <p className="hint">{t('cloud.noVariations')}</p>
        </>
      )}
    </div>
  );
}
