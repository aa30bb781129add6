import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import type { ContactDetailSchema } from '../../../shared/contacts';
import { api } from '../../api/client';
import { errorText, useI18n } from '../../i18n/i18n';
import { useToast } from '../../state/toast';
import { useTags } from '../../state/use-tags';
import { ContactTags } from './ContactTags';

type Detail = z.infer<typeof ContactDetailSchema>;

/** The side panel to edit one contact: name, phone, fields, and its opt-out (one click; undo asks first). */
export function ContactEditor({ id, onClose }: { id: number; onClose(): void }) {
  const { t, language } = useI18n();
  const toast = useToast();
  const [detail, setDetail] = useState<Detail>();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [fields, setFields] = useState<[string, string][]>([]);
  const [confirmUndo, setConfirmUndo] = useState(false);
  const [error, setError] = useState<string>();
  const allTags = useTags();
  const nameId = useId();
  const phoneId = useId();
  const date = (ms: number) => new Date(ms).toLocaleString(language === 'es' ? 'es-MX' : 'en-US');

  useEffect(() => {
    let live = true;
    api.call('contacts.get', { id }).then(
      (d) => {
        if (!live) return;
        setDetail(d);
        setName(d.name ?? '');
        setPhone(d.phone);
        setFields(Object.entries(d.fields));
      },
      (e: unknown) => live && setError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [id, t]);

  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      setDetail(await api.call('contacts.get', { id }));
      return true;
    } catch (e) {
      setError(errorText(t, e));
      return false;
    }
  };

  if (!detail) return <aside className="editor card" aria-busy="true">{error ?? t('common.loading')}</aside>;

  return (
    <aside className="editor card" aria-label={t('contacts.editTitle')} data-testid="contact-editor">
      <header className="editor-head">
        <h2>{t('contacts.editTitle')}</h2>
        <span className="actions">
          <Link to={`/respuestas?tel=${encodeURIComponent(detail.phone)}`} className="button-link" data-testid="contact-chat">{t('contacts.openChat')}</Link>
          <button type="button" className="button-secondary" onClick={onClose} data-testid="editor-close">{t('contacts.close')}</button>
        </span>
      </header>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(() =>
            api.call('contacts.update', { id, name: name.trim() || null, phone, fields: Object.fromEntries(fields.filter(([k]) => k.trim() !== '')) }),
          ).then((ok) => {
            if (!ok) return;
            toast(t('toast.contactSaved', { name: name.trim() || phone }));
            onClose();
          });
        }}
      >
        <div className="field">
          <label htmlFor={nameId}>{t('contacts.name')}</label>
          <input id={nameId} type="text" value={name} onChange={(e) => setName(e.target.value)} data-testid="editor-name" />
        </div>
        <div className="field">
          <label htmlFor={phoneId}>{t('contacts.phone')}</label>
          <input id={phoneId} type="text" value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="editor-phone" />
        </div>
        <fieldset className="field">
          <legend>{t('contacts.fields')}</legend>
          {fields.map(([key, value], i) => (
            <div className="inline-form" key={i}>
              <input type="text" aria-label={t('contacts.fieldName')} value={key} onChange={(e) => setFields(fields.map((f, j) => (j === i ? [e.target.value, f[1]] : f)))} />
              <input type="text" aria-label={t('contacts.fieldValue')} value={value} onChange={(e) => setFields(fields.map((f, j) => (j === i ? [f[0], e.target.value] : f)))} />
            </div>
          ))}
          <button type="button" className="button-link" onClick={() => setFields([...fields, ['', '']])}>{t('contacts.addField')}</button>
        </fieldset>
        <p className="hint">{detail.lists.length ? `${t('contacts.inLists')}: ${detail.lists.map((l) => l.name).join(', ')}` : t('contacts.noLists')}</p>
        <p className={detail.consent === 'yes' ? 'hint' : 'hint consent-missing'} data-testid="editor-consent" data-consent={detail.consent ?? 'unknown'}>
          {detail.consent === null
            ? t('contacts.consentUnknown')
            : t(detail.consent === 'yes' ? 'contacts.consentYes' : 'contacts.consentNo', { source: t(`import.consentSources.${detail.consentSource ?? 'other'}`), date: date(detail.consentAt ?? 0) })}
        </p>
        <div className="actions">
          <button type="submit" data-testid="editor-save">{t('contacts.save')}</button>
        </div>
      </form>

      <ContactTags
        tags={detail.tags}
        all={allTags}
        onAdd={(tagId) => void act(() => api.call('tags.addContacts', { tagId, contactIds: [id] }))}
        onRemove={(tagId) => void act(() => api.call('tags.removeContacts', { tagId, contactIds: [id] }))}
      />
      <section className="optout">
        <h3>{t('contacts.optOutTitle')}</h3>
        {detail.optedOut ? (
          <>
            <p className="banner banner-error" data-testid="editor-opted-out">{t('contacts.optOutDone', { date: date(detail.optedOutAt ?? 0) })}</p>
            {confirmUndo ? (
              <div className="confirm" role="group">
                <span>{t('contacts.confirmUndoOptOut')}</span>
                <button type="button" className="button-danger" data-testid="confirm-undo-optout" onClick={() => void act(() => api.call('contacts.undoOptOut', { id, confirm: true })).then(() => setConfirmUndo(false))}>
                  {t('contacts.confirmUndoYes')}
                </button>
                <button type="button" className="button-secondary" onClick={() => setConfirmUndo(false)}>{t('contacts.cancel')}</button>
              </div>
            ) : (
              <button type="button" className="button-secondary" data-testid="undo-optout" onClick={() => setConfirmUndo(true)}>{t('contacts.undoOptOut')}</button>
            )}
          </>
        ) : (
          <>
            <p>{t('contacts.optOutActive')}</p>
            <button type="button" className="button-secondary button-danger-outline" data-testid="opt-out" onClick={() => void act(() => api.call('contacts.optOut', { id }))}>
              {t('contacts.optOutButton')}
            </button>
          </>
        )}
        {detail.optOutLog.length > 0 && (
          <>
            <h3>{t('contacts.history')}</h3>
            <ul className="history" data-testid="optout-history">
              {detail.optOutLog.map((entry, i) => (
                <li key={i}>
                  {entry.action === 'opt_out'
                    ? t('contacts.historyOptOut', { source: t(`contacts.optOutSources.${entry.source}`), date: date(entry.at) })
                    : t('contacts.historyUndo', { actor: t(`contacts.actors.${entry.actor ?? 'user'}`), date: date(entry.at) })}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </aside>
  );
}
