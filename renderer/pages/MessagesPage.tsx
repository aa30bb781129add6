import { useCallback, useEffect, useState } from 'react';
import type { Analysis, Template } from '../../shared/messages';
import { api } from '../api/client';
import { ChecksPanel } from '../components/messages/ChecksPanel';
import { MessageEditor, type Draft } from '../components/messages/MessageEditor';
import { PreviewPanel } from '../components/messages/PreviewPanel';
import { TestSendPanel } from '../components/messages/TestSendPanel';
import { errorText, useI18n } from '../i18n/i18n';
import { formatPhone } from '../format';
import { UnsavedBar } from '../components/common/UnsavedBar';
import { useUnsavedGuard } from '../state/use-unsaved-guard';
import { useToast } from '../state/toast';

const EMPTY: Draft = { name: '', body: '', media: null };
/** A saved answer (#33): picked in a chat by typing "/" and its name. */
const EMPTY_ANSWER: Draft = { ...EMPTY, kind: 'answer' };

/** Mensajes: write, preview as real contacts, grade, test-send, save. */
export function MessagesPage() {
  const { t } = useI18n();
  const [templates, setTemplates] = useState<Template[]>([]);
  const [answers, setAnswers] = useState<Template[]>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [analysis, setAnalysis] = useState<Analysis>();
  const [previewContacts, setPreviewContacts] = useState<{ id: number; label: string }[]>([]);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The version last saved or opened: anything else in the editor is unsaved, and leaving asks first.
  const [savedAs, setSavedAs] = useState<Draft>(EMPTY);
  const dirty = draft.name !== savedAs.name || draft.body !== savedAs.body || (draft.media?.id ?? null) !== (savedAs.media?.id ?? null);
  const guard = useUnsavedGuard(dirty);
  const toast = useToast();

  const reload = useCallback(() => {
    api.call('templates.list', {}).then(setTemplates, () => undefined);
    api.call('templates.list', { kind: 'answer' }).then(setAnswers, () => undefined);
  }, []);
  useEffect(() => reload(), [reload]);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.call('messages.analyze', { body: draft.body }).then((a) => live && setAnalysis(a), () => undefined);
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [draft.body]);

  const onItems = useCallback(
    (items: { contact: { id: number; name: string | null; phone: string; sample: boolean } }[]) =>
      setPreviewContacts(items.filter((i) => !i.contact.sample).map((i) => ({ id: i.contact.id, label: `${i.contact.name ?? ''} · ${formatPhone(i.contact.phone)}` }))),
    [],
  );

  const act = async (action: () => Promise<void>) => {
    setError(undefined);
    setStatus(undefined);
    try {
      await action();
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const save = (then?: () => void) =>
    act(async () => {
      const saved = await api.call('templates.save', { ...(draft.id ? { id: draft.id } : { kind: draft.kind ?? 'message' }), name: draft.name.trim() || t(draft.kind === 'answer' ? 'messages.newAnswer' : 'messages.new'), body: draft.body, mediaId: draft.media?.id ?? null });
      const as = { id: saved.id, kind: saved.kind, name: saved.name, body: saved.body, media: saved.media };
      setDraft(as);
      setSavedAs(as);
      setStatus(t('messages.savedOk'));
      toast(t('toast.messageSaved', { name: saved.name }));
      // The list holds the saved version at once: a click on it before the reload answers opens what was saved.
      const upsert = (list: Template[]) => (list.some((x) => x.id === saved.id) ? list.map((x) => (x.id === saved.id ? saved : x)) : [saved, ...list]);
      if (saved.kind === 'answer') setAnswers(upsert);
      else setTemplates(upsert);
      reload();
      then?.();
    });
  const show = (next: Draft) => {
    setDraft(next);
    setSavedAs(next);
    setStatus(undefined);
    setConfirmDelete(false);
  };
  const open = (template: Template) => guard.ask(() => show({ id: template.id, kind: template.kind, name: template.name, body: template.body, media: template.media }));

  return (
    <section className="page page-wide" data-testid="page-messages">
      <header className="page-header">
        <h1>{t('messages.title')}</h1>
        <p className="lead">{t('messages.intro')}</p>
      </header>
      <div className="messages-layout">
        <aside className="card templates-panel" aria-label={t('messages.saved')}>
          <button
            type="button"
            onClick={() => guard.ask(() => show(EMPTY))}
            data-testid="new-message"
          >
            {t('messages.new')}
          </button>
          <h2>{t('messages.saved')}</h2>
          {templates.length === 0 && <p className="hint">{t('messages.noSaved')}</p>}
          <ul className="lists">
            {templates.map((tpl) => (
              <li key={tpl.id}>
                <button type="button" className={`list-item ${draft.id === tpl.id ? 'active' : ''}`} onClick={() => open(tpl)} data-testid="template-item">
                  <span>{tpl.name}</span>
                </button>
              </li>
            ))}
          </ul>
          <h2>{t('messages.savedAnswers')}</h2>
          <p className="hint">{t('messages.savedAnswersHint')}</p>
          <ul className="lists" data-testid="saved-answers-list">
            {answers.map((tpl) => (
              <li key={tpl.id}>
                <button type="button" className={`list-item ${draft.id === tpl.id ? 'active' : ''}`} onClick={() => open(tpl)} data-testid="answer-item">
                  <span>/{tpl.name}</span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button-secondary" onClick={() => guard.ask(() => show(EMPTY_ANSWER))} data-testid="new-answer">
            {t('messages.newAnswer')}
          </button>
        </aside>
        <div className="messages-main">
          {guard.asking && <UnsavedBar name={draft.name.trim()} onSave={() => void save(guard.leave)} onDiscard={guard.leave} onStay={guard.stay} />}
          <MessageEditor draft={draft} onChange={setDraft} analysis={analysis} />
          <div className="actions">
            <button type="button" onClick={() => void save()} data-testid="save-message">{t('messages.save')}</button>
            {draft.id ? (
              <>
                <button type="button" className="button-secondary" onClick={() => void act(async () => { const copy = await api.call('templates.duplicate', { id: draft.id ?? 0 }); show({ id: copy.id, kind: copy.kind, name: copy.name, body: copy.body, media: copy.media }); reload(); })}>
                  {t('messages.duplicate')}
                </button>
                {confirmDelete ? (
                  <span className="confirm">
                    {t('messages.confirmDelete')}
                    <button type="button" className="button-danger" onClick={() => void act(async () => { await api.call('templates.delete', { id: draft.id ?? 0 }); show(EMPTY); reload(); })}>
                      {t('messages.delete')}
                    </button>
                  </span>
                ) : (
                  <button type="button" className="button-secondary button-danger-outline" onClick={() => setConfirmDelete(true)}>{t('messages.delete')}</button>
                )}
              </>
            ) : null}
            {dirty && (draft.body !== '' || draft.name !== '') ? (
              <span role="status" className="hint warn-text" data-testid="unsaved">{t('unsaved.status')}</span>
            ) : (
              status && <span role="status" className="hint" data-testid="save-status">{status}</span>
            )}
          </div>
          {error && <p role="alert" className="banner banner-error">{error}</p>}
          <ChecksPanel analysis={analysis} onFix={(body) => setDraft({ ...draft, body })} />
        </div>
        <div className="messages-side">
          <PreviewPanel body={draft.body} media={draft.media} onItems={onItems} />
          <TestSendPanel body={draft.body} mediaId={draft.media?.id ?? null} contacts={previewContacts} disabled={(analysis?.errors.length ?? 0) > 0 || draft.body.trim() === ''} />
        </div>
      </div>
    </section>
  );
}
