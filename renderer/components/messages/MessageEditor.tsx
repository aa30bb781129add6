import { useId, useRef, useState } from 'react';
import type { Analysis, MediaView } from '../../../shared/messages';
import { api } from '../../api/client';
import { uploadFile } from '../../api/files';
import { errorText, useI18n } from '../../i18n/i18n';
import { useNumbers } from '../../state/use-numbers';
import { AttachmentNotes } from './AttachmentNotes';

export type Draft = { id?: number; kind?: 'message' | 'answer'; name: string; body: string; media: MediaView | null };

/** The editor: name, text with fields, variations and formatting at the cursor, an attachment, and errors. */
export function MessageEditor(props: { draft: Draft; onChange(draft: Draft): void; analysis: Analysis | undefined }) {
  const { t } = useI18n();
  const { draft, onChange, analysis } = props;
  const emptyBox = draft.body.trim() === '' && !draft.media;
  const { numbers } = useNumbers();
  const hasCloud = (numbers ?? []).some((n) => n.kind === 'cloud');
  const area = useRef<HTMLTextAreaElement>(null);
  const [error, setError] = useState<string>();
  const [uploading, setUploading] = useState(false);
  const ids = { name: useId(), body: useId() };

  const insert = (before: string, after = '') => {
    const el = area.current;
    const start = el?.selectionStart ?? draft.body.length;
    const end = el?.selectionEnd ?? draft.body.length;
    const body = draft.body.slice(0, start) + before + draft.body.slice(start, end) + after + draft.body.slice(end);
    onChange({ ...draft, body });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + before.length, end + before.length);
    });
  };

  const attach = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    setUploading(true);
    try {
      const uploaded = await uploadFile(file);
      onChange({ ...draft, media: await api.call('media.add', { uploadId: uploaded.uploadId }) });
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setUploading(false);
    }
  };

  return (
    <div className="card message-editor">
      <div className="field">
        <label htmlFor={ids.name}>{draft.kind === 'answer' ? t('messages.answerName') : t('messages.name')}</label>
        <input id={ids.name} type="text" value={draft.name} placeholder={t('messages.namePlaceholder')} onChange={(e) => onChange({ ...draft, name: e.target.value })} data-testid="message-name" />
      </div>
      <label htmlFor={ids.body}>{t('messages.body')}</label>
      <div className="editor-toolbar" role="toolbar" aria-label={t('messages.body')}>
        <select aria-label={t('messages.insertField')} value="" onChange={(e) => e.target.value && insert(`{{${e.target.value}}}`)} data-testid="insert-field">
          <option value="">{t('messages.insertField')}</option>
          {(analysis?.fields ?? ['nombre']).map((f) => (
            <option key={f} value={f}>{`{{${f}}}`}</option>
          ))}
        </select>
        <button type="button" className="button-secondary" onClick={() => insert(t('messages.variationSnippet'))} data-testid="add-variation">{t('messages.addVariation')}</button>
        {/* The four formats wrap together, never one by one (the English toolbar split them: #30 item 9). */}
        <span className="fmt-group" role="group" aria-label={t('messages.formatting')}>
          <button type="button" className="button-secondary fmt" title={t('messages.bold')} aria-label={t('messages.bold')} onClick={() => insert('*', '*')}><strong>B</strong></button>
          <button type="button" className="button-secondary fmt" title={t('messages.italic')} aria-label={t('messages.italic')} onClick={() => insert('_', '_')}><em>I</em></button>
          <button type="button" className="button-secondary fmt" title={t('messages.strike')} aria-label={t('messages.strike')} onClick={() => insert('~', '~')}><s>S</s></button>
          <button type="button" className="button-secondary fmt" title={t('messages.mono')} aria-label={t('messages.mono')} onClick={() => insert('```', '```')}><code>M</code></button>
        </span>
      </div>
      {/* Cloud API numbers send Meta's approved templates: this message reaches them only as a template for review. */}
      {hasCloud && <p className="hint" data-testid="cloud-editor-note">{t('cloud.editorNote')}</p>}
      <textarea
        id={ids.body}
        ref={area}
        rows={9}
        value={draft.body}
        placeholder={t('messages.bodyPlaceholder')}
        onChange={(e) => onChange({ ...draft, body: e.target.value })}
        data-testid="message-body"
        aria-invalid={!emptyBox && (analysis?.errors.length ?? 0) > 0}
      />
      {/* An empty box is a message not written yet, not one with errors (#30 item 7, as the wizard says it). */}
      {emptyBox && <p className="hint" data-testid="message-empty">{t('messages.writeFirst')}</p>}
      {!emptyBox && analysis && analysis.errors.length > 0 && (
        <div role="alert" className="banner banner-error" data-testid="message-errors">
          <strong>{t('messages.errorsTitle')}</strong>
          <ul>
            {analysis.errors.map((e, i) => (
              <li key={i}>{t('messages.errorAt', { line: e.line, column: e.column, text: t(`messages.templateErrors.${e.code}`, { detail: e.detail ?? '' }) })}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="attachment">
        {draft.media ? (
          <div className="attached" data-testid="attachment">
            <span className="badge badge-ok" data-testid="attachment-kind">{t(`messages.mediaKinds.${draft.media.kind}`)}</span> {draft.media.fileName} · {(draft.media.size / 1024).toFixed(0)} KB
            <button type="button" className="button-link" onClick={() => onChange({ ...draft, media: null })}>{t('messages.removeAttachment')}</button>
            <AttachmentNotes media={draft.media} />
          </div>
        ) : (
          <label className="button button-secondary-label">
            {uploading ? t('common.loading') : t('messages.attach')}
            <input type="file" className="visually-hidden" onChange={(e) => void attach(e.target.files?.[0])} data-testid="attach-file" />
          </label>
        )}
        <p className="hint">{t('messages.attachHelp')}</p>
        {error && <p role="alert" className="banner banner-error" data-testid="attach-error">{error}</p>}
      </div>
    </div>
  );
}
