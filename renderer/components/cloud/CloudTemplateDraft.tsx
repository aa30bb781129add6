import { useEffect, useId, useMemo, useState } from 'react';
import type { WaTemplate } from '../../../shared/cloud';
import type { Template } from '../../../shared/messages';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';

/** The fields of a saved message in the order they first appear: each becomes {{1}}, {{2}} … in the template. */
function fieldsOf(body: string): string[] {
  const fields: string[] = [];
  for (const match of body.matchAll(/\{\{\s*([^}|]+?)\s*(?:\|[^}]*)?\}\}/g)) {
    const name = match[1] as string;
    if (!fields.includes(name)) fields.push(name);
  }
  return fields;
}

/** A saved message submitted to Meta as a template: a name, a category, a language and an example per field. */
export function CloudTemplateDraft({ numberId, appId: knownAppId, onCreated }: { numberId: string; appId: string | null; onCreated: (t: WaTemplate) => void }) {
  const { t } = useI18n();
  const [messages, setMessages] = useState<Template[]>([]);
  const [messageId, setMessageId] = useState<number | null>(null);
  const [name, setName] = useState('');
  const [category, setCategory] = useState<'MARKETING' | 'UTILITY'>('MARKETING');
  const [language, setLanguage] = useState('es_MX');
  const [examples, setExamples] = useState<Record<string, string>>({});
  const [appId, setAppId] = useState(knownAppId ?? '');
  const { run, busy, error } = useAction();
  const ids = { message: useId(), name: useId(), category: useId(), language: useId(), app: useId() };
  useEffect(() => {
    api.call('templates.list', {}).then(setMessages, () => undefined);
  }, []);
  const message = messages.find((m) => m.id === messageId);
  const fields = useMemo(() => (message ? fieldsOf(message.body) : []), [message]);
  // An image, video or document becomes the template's header: Meta takes its sample through the app's id.
  const header = message?.media && ['image', 'video', 'document'].includes(message.media.kind) ? message.media : null;
  const hasVariations = message ? /\{[^{}]*\|[^{}]*\}/.test(message.body.replace(/\{\{[^}]*\}\}/g, '')) : false;
  return (
    <form
      className="form cloud-draft"
      data-testid="cloud-draft"
      onSubmit={(e) => {
        e.preventDefault();
        if (messageId === null) return;
        void run(async () => onCreated(await api.call('cloud.createTemplate', { numberId, messageId, name: name.trim(), category, language: language.trim(), examples, ...(header && appId.trim() ? { appId: appId.trim() } : {}) })));
      }}
    >
      <h4>{t('cloud.draftTitle')}</h4>
      <div className="field">
        <label htmlFor={ids.message}>{t('cloud.draftMessage')}</label>
        <select id={ids.message} value={messageId ?? ''} onChange={(e) => setMessageId(e.target.value ? Number(e.target.value) : null)} data-testid="cloud-draft-message">
          <option value="">{t('cloud.draftChoose')}</option>
          {messages.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select>
      </div>
      {hasVariations && <p className="banner banner-warning" data-testid="cloud-draft-variations">{t('cloud.noVariations')}</p>}
      {header && (
        <div className="field">
          <p className="hint" data-testid="cloud-draft-header">{t('cloud.draftHeader', { kind: t(`cloud.headers.${header.kind}`), name: header.fileName })}</p>
          <label htmlFor={ids.app}>{t('cloud.appId')}</label>
          <input id={ids.app} type="text" inputMode="numeric" required value={appId} onChange={(e) => setAppId(e.target.value)} data-testid="cloud-draft-app-id" />
          <p className="help">{t('cloud.appIdHelp')}</p>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.name}>{t('cloud.draftName')}</label>
        <input id={ids.name} type="text" required pattern="[a-z0-9_]+" value={name} onChange={(e) => setName(e.target.value.toLowerCase().replace(/[^a-z0-9_]/g, '_'))} data-testid="cloud-draft-name" />
        <p className="help">{t('cloud.draftNameHelp')}</p>
      </div>
      <div className="field">
        <label htmlFor={ids.category}>{t('cloud.draftCategory')}</label>
        <select id={ids.category} value={category} onChange={(e) => setCategory(e.target.value as 'MARKETING' | 'UTILITY')} data-testid="cloud-draft-category">
          <option value="MARKETING">{t('cloud.categories.MARKETING')}</option>
          <option value="UTILITY">{t('cloud.categories.UTILITY')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.language}>{t('cloud.draftLanguage')}</label>
        <input id={ids.language} type="text" value={language} onChange={(e) => setLanguage(e.target.value)} data-testid="cloud-draft-language" />
      </div>
      {fields.map((field, i) => (
        <div className="field" key={field}>
          <label htmlFor={`${ids.name}-${i}`}>{t('cloud.draftExample', { n: i + 1, field })}</label>
          <input id={`${ids.name}-${i}`} type="text" required value={examples[field] ?? ''} onChange={(e) => setExamples({ ...examples, [field]: e.target.value })} data-testid="cloud-draft-example" />
        </div>
      ))}
      <p className="help">{t('cloud.draftReview')}</p>
      <button type="submit" disabled={busy || messageId === null} data-testid="cloud-draft-submit">{t('cloud.draftSubmit')}</button>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </form>
  );
}
