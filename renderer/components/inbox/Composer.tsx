import { useEffect, useId, useRef, useState } from 'react';
import type { MediaView, Template } from '../../../shared/messages';
import { api } from '../../api/client';
import { uploadFile } from '../../api/files';
import { newRequestId } from '../../api/request-ids';
import { ApiCallError } from '../../api/client';
import { errorText, useI18n } from '../../i18n/i18n';
import { AttachmentNotes } from '../messages/AttachmentNotes';

/** How often "escribiendo…" is told again while the user types (WhatsApp shows it for about 25 s). */
const TYPING_EVERY_MS = 10_000;

/**
 * The answer box: text with the contact's {{fields}}, a saved answer picked by typing "/", an attachment checked as
 * a campaign's is. Each answer carries its own id, kept until the app confirms it: a click repeated after a lost
 * answer finds the first one instead of sending a second message.
 */
export function Composer({ phone, disabled, onSent }: { phone: string; disabled: string | null; onSent(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [media, setMedia] = useState<MediaView | null>(null);
  const [saved, setSaved] = useState<Template[]>([]);
  const [picked, setPicked] = useState<Template | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const clientId = useRef(newRequestId());
  const lastTyping = useRef(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();

  useEffect(() => {
    api.call('templates.list', { kind: 'answer' }).then(setSaved, () => undefined);
  }, []);
  const slash = text.startsWith('/') ? text.slice(1).toLowerCase() : null;
  const matches = slash === null ? [] : saved.filter((s) => s.name.toLowerCase().includes(slash) || s.body.toLowerCase().includes(slash)).slice(0, 6);

  const pick = (answer: Template) => {
    setPicked(answer);
    setText(answer.body);
    setMedia(answer.media);
    requestAnimationFrame(() => area.current?.focus());
  };

  const type = (value: string) => {
    setText(value);
    if (picked && value !== picked.body) setPicked(null);
    const now = Date.now();
    if (value && !value.startsWith('/') && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      void api.call('conversations.typing', { phone }).catch(() => undefined);
    }
  };

  const attach = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    setBusy(true);
    try {
      const uploaded = await uploadFile(file);
      setMedia(await api.call('media.add', { uploadId: uploaded.uploadId }));
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const send = async () => {
    if (busy || (!text.trim() && !media) || slash !== null) return;
    setError(undefined);
    setBusy(true);
    try {
      await api.call('conversations.answer', { phone, clientId: clientId.current, text, mediaId: media?.id ?? null, ...(picked && text === picked.body ? { templateId: picked.id } : {}) });
      clientId.current = newRequestId();
      setText('');
      setMedia(null);
      setPicked(null);
      onSent();
    } catch (e) {
      // The same id stays: sending again after an unclear failure finds the first answer if it went.
      const missing = e instanceof ApiCallError && e.error.code === 'missing_field' ? e.error.field?.replace(/^fields\./, '') : undefined;
      setError(missing ? t('inbox.missingField', { name: missing }) : errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  if (disabled) return <p className="composer-off muted" data-testid="chat-composer-off">{disabled}</p>;
  return (
    <div className="composer" data-testid="chat-composer">
      {matches.length > 0 && (
        <ul className="saved-answers card" data-testid="saved-answers" role="listbox" aria-label={t('inbox.savedAnswers')}>
          {matches.map((s) => (
            <li key={s.id}>
              <button type="button" className="saved-answer" onClick={() => pick(s)} data-testid="saved-answer">
                <strong>/{s.name}</strong> <span className="muted">{s.body.slice(0, 80)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {slash !== null && matches.length === 0 && <p className="hint">{saved.length === 0 ? t('inbox.noSavedAnswers') : t('inbox.noMatch')}</p>}
      {media && (
        <div className="composer-media" data-testid="chat-attachment">
          {media.kind === 'image' ? <img src={media.url} alt={media.fileName} /> : <span>{media.fileName}</span>}
          <button type="button" className="button-secondary" onClick={() => setMedia(null)} aria-label={t('inbox.removeAttachment')}>✕</button>
          <AttachmentNotes media={media} />
        </div>
      )}
      <div className="composer-row">
        <label className="button-secondary composer-attach" title={t('inbox.attach')}>
          {t('inbox.attachShort')}
          <input type="file" hidden onChange={(e) => void attach(e.target.files?.[0])} data-testid="chat-attach" />
        </label>
        <label htmlFor={inputId} className="visually-hidden">{t('inbox.answerLabel')}</label>
        <textarea
          id={inputId}
          ref={area}
          rows={2}
          value={text}
          placeholder={t('inbox.answerPlaceholder')}
          onChange={(e) => type(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              if (matches.length > 0 && slash !== null) pick(matches[0]!);
              else void send();
            }
          }}
          data-testid="chat-input"
        />
        <button type="button" onClick={() => void send()} disabled={busy || (!text.trim() && !media) || slash !== null} data-testid="chat-send">
          {t('inbox.send')}
        </button>
      </div>
      {error && <p className="error" role="alert" data-testid="chat-error">{error}</p>}
    </div>
  );
}
