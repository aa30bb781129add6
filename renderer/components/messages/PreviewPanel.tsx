import { useEffect, useId, useState } from 'react';
import type { z } from 'zod';
import type { MediaView, PreviewItemSchema } from '../../../shared/messages';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useLists } from '../../state/use-lists';
import { formatWhatsApp } from './whatsapp-format';

type Item = z.infer<typeof PreviewItemSchema>;

/** The message as real contacts of a list will see it, in WhatsApp-like bubbles, attachment included. */
export function PreviewPanel({ body, media, onItems }: { body: string; media: MediaView | null; onItems(items: Item[]): void }) {
  const { t } = useI18n();
  const { lists } = useLists();
  const [listId, setListId] = useState<number | null>(null);
  const [seed, setSeed] = useState(1);
  const [items, setItems] = useState<Item[]>([]);
  const selectId = useId();

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.call('messages.preview', { body, listId, sample: 2, seed }).then(
        (result) => {
          if (!live) return;
          setItems(result.items);
          onItems(result.items);
        },
        () => undefined,
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body, listId, seed, onItems]);

  return (
    <section className="card preview-panel" data-testid="preview-panel">
      <header className="number-head">
        <h2>{t('messages.previewTitle')}</h2>
        <button type="button" className="button-secondary" onClick={() => setSeed((s) => s + 1)} data-testid="preview-another">{t('messages.previewAnother')}</button>
      </header>
      <div className="inline-form">
        <label htmlFor={selectId}>{t('messages.previewList')}</label>
        <select id={selectId} value={listId ?? ''} onChange={(e) => setListId(e.target.value ? Number(e.target.value) : null)} data-testid="preview-list">
          <option value="">{t('messages.previewAll')}</option>
          {lists.map((l) => (
            <option key={l.id} value={l.id}>{l.name}</option>
          ))}
        </select>
      </div>
      <div className="chat">
        {items.map((item, i) => (
          <figure key={`${item.contact.id}-${i}`} className="chat-item" data-testid="preview-item">
            <figcaption>
              {item.contact.sample ? t('messages.previewSample') : `${item.contact.name ?? ''} · ${item.contact.phone}`}
            </figcaption>
            <div className="bubble" data-testid="bubble">
              {media?.kind === 'image' && <img src={media.url} alt={media.fileName} className="bubble-media" data-testid="bubble-image" />}
              {media?.kind === 'video' && <video src={media.url} className="bubble-media" preload="metadata" muted data-testid="bubble-video" />}
              {(media?.kind === 'audio' || media?.kind === 'voice') && <audio src={media.url} controls preload="none" className="bubble-audio" />}
              {media?.kind === 'document' && <div className="bubble-doc">📄 {media.fileName}</div>}
              {!media?.textApart && <div className="bubble-text" data-testid="bubble-text">{formatWhatsApp(item.text)}</div>}
              <span className="bubble-time">12:00 ✓✓</span>
            </div>
            {media?.textApart && (
              // WhatsApp shows no caption on audio: the contact sees the text as a second message.
              <div className="bubble" data-testid="bubble-apart">
                <div className="bubble-text" data-testid="bubble-text">{formatWhatsApp(item.text)}</div>
                <span className="bubble-time">12:00 ✓✓</span>
              </div>
            )}
            {item.missing.length > 0 && <p className="hint warn-text">{t('messages.missingFields', { fields: item.missing.join(', ') })}</p>}
          </figure>
        ))}
      </div>
    </section>
  );
}
