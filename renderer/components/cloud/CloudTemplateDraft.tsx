import { useEffect, useId, useMemo, useState } from 'react';
import { STOP_PROMOTIONS_TEXTS, type DraftButton, type WaTemplate } from '../../../shared/cloud';
import type { Template } from '../../../shared/messages';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { TemplateBubble, type BubbleTemplate } from './TemplateBubble';
import { DraftButtons } from './DraftButtons';

/** What the draft will look like once Meta has it: its {{n}} text, header, buttons and cards. */
function bubbleOf(body: string, fields: string[], header: string | null, buttons: DraftButton[], stop: boolean, language: string, cards: Template[]): BubbleTemplate {
  let text = body;
  fields.forEach((f, i) => {
    text = text.replace(new RegExp(`\\{\\{\\s*${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(\\|[^}]*)?\\}\\}`, 'g'), `{{${i + 1}}}`);
  });
  const shown = [
    ...buttons.filter((b) => b.kind === 'quick_reply').map((b) => ({ type: 'QUICK_REPLY', text: b.kind === 'quick_reply' ? b.text : '', url: null })),
    ...(stop ? [{ type: 'QUICK_REPLY', text: language.startsWith('es') ? STOP_PROMOTIONS_TEXTS[0] : STOP_PROMOTIONS_TEXTS[1], url: null }] : []),
    ...buttons.filter((b) => b.kind !== 'quick_reply').map((b) => (b.kind === 'url' ? { type: 'URL', text: b.text, url: b.url } : { type: 'COPY_CODE', text: '', url: null })),
  ];
  const kind = (h: string | null): BubbleTemplate['header'] => (h === 'image' || h === 'video' || h === 'document' ? h : 'none');
  return {
    header: cards.length ? 'none' : kind(header),
    body: text,
    buttons: cards.length ? [] : shown,
    cards: cards.map((c) => ({ header: c.media?.kind === 'video' ? 'video' : 'image', body: c.body, buttons: shown.map((b) => ({ ...b, dynamic: false, stopPromotions: false })) })),
  };
}

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
  const [buttons, setButtons] = useState<DraftButton[]>([]);
  const [stopPromotions, setStopPromotions] = useState(true);
  const [cardIds, setCardIds] = useState<number[]>([]);
  const { run, busy, error } = useAction();
  const ids = { message: useId(), name: useId(), category: useId(), language: useId(), app: useId() };
  useEffect(() => {
    api.call('templates.list', {}).then(setMessages, () => undefined);
  }, []);
  const message = messages.find((m) => m.id === messageId);
  const fields = useMemo(() => (message ? fieldsOf(message.body) : []), [message]);
  // An image, video or document becomes the template's header: Meta takes its sample through the app's id.
  const withMedia = messages.filter((m) => m.media?.kind === 'image' || m.media?.kind === 'video');
  const cards = cardIds.map((id) => messages.find((m) => m.id === id)).filter((m): m is Template => m !== undefined);
  const header = !cards.length && message?.media && ['image', 'video', 'document'].includes(message.media.kind) ? message.media : null;
  const needsAppId = header !== null || cards.length > 0;
  const stop = stopPromotions && category === 'MARKETING';
  const hasVariations = message ? /\{[^{}]*\|[^{}]*\}/.test(message.body.replace(/\{\{[^}]*\}\}/g, '')) : false;
  return (
    <form
      className="form cloud-draft"
      data-testid="cloud-draft"
      onSubmit={(e) => {
        e.preventDefault();
        if (messageId === null) return;
        void run(async () =>
          onCreated(
            await api.call('cloud.createTemplate', {
              numberId,
              messageId,
              name: name.trim(),
              category,
              language: language.trim(),
              examples,
              ...(needsAppId && appId.trim() ? { appId: appId.trim() } : {}),
              ...(buttons.length ? { buttons } : {}),
              ...(stop ? { stopPromotions: true } : {}),
              ...(cards.length ? { cards: cards.map((c) => c.id) } : {}),
            }),
          ),
        );
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
      {header && <p className="hint" data-testid="cloud-draft-header">{t('cloud.draftHeader', { kind: t(`cloud.headers.${header.kind}`), name: header.fileName })}</p>}
      {needsAppId && (
        <div className="field">
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
      <DraftButtons buttons={buttons} onChange={setButtons} />
      {category === 'MARKETING' && (
        <label className="check-line">
          <input type="checkbox" checked={stopPromotions} onChange={(e) => setStopPromotions(e.target.checked)} data-testid="cloud-draft-stop" /> {t('cloud.stopPromotions')}
        </label>
      )}
      <fieldset className="field" data-testid="cloud-draft-cards">
        <legend>{t('cloud.cardsTitle')}</legend>
        <p className="help">{t('cloud.cardsHelp')}</p>
        {cardIds.map((id, i) => (
          <div className="row" key={i}>
            <select
              aria-label={t('cloud.cardMedia', { n: i + 1 })}
              value={id}
              onChange={(e) => setCardIds(cardIds.map((x, j) => (j === i ? Number(e.target.value) : x)))}
              data-testid="cloud-draft-card"
            >
              {withMedia.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
            </select>
            <button type="button" className="button-secondary" onClick={() => setCardIds(cardIds.filter((_, j) => j !== i))} aria-label={t('cloud.removeButton')}>✕</button>
          </div>
        ))}
        {cardIds.length < 10 && withMedia.length > 0 && (
          <button type="button" className="button-secondary" onClick={() => setCardIds([...cardIds, withMedia[0]!.id])} data-testid="cloud-draft-card-add">{t('cloud.cardAdd')}</button>
        )}
      </fieldset>
      {message && (
        <div className="field" data-testid="cloud-draft-preview">
          <span className="label">{t('cloud.preview')}</span>
          <TemplateBubble template={bubbleOf(message.body, fields, message.media?.kind ?? null, buttons, stop, language, cards)} values={fields.map((f) => examples[f] ?? '')} />
        </div>
      )}
      <p className="help">{t('cloud.draftReview')}</p>
      <button type="submit" disabled={busy || messageId === null || cards.length === 1} data-testid="cloud-draft-submit">{t('cloud.draftSubmit')}</button>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </form>
  );
}
