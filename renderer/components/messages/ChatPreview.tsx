import type { z } from 'zod';
import type { MediaView, PreviewItemSchema } from '../../../shared/messages';
import { formatPhone } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { formatWhatsApp } from './whatsapp-format';

export type PreviewItem = z.infer<typeof PreviewItemSchema>;

/** Each contact's own version of the message, drawn as WhatsApp bubbles with the attachment as it will arrive. */
export function ChatPreview({ items, media }: { items: PreviewItem[]; media: MediaView | null }) {
  const { t } = useI18n();
  return (
    <div className="chat">
      {items.map((item, i) => (
        <figure key={`${item.contact.id}-${i}`} className="chat-item" data-testid="preview-item">
          <figcaption>{item.contact.sample ? t('messages.previewSample') : `${item.contact.name ?? ''} · ${formatPhone(item.contact.phone)}`}</figcaption>
          <div className="bubble" data-testid="bubble">
            {media?.kind === 'image' && <img src={media.url} alt={media.fileName} className="bubble-media" data-testid="bubble-image" />}
            {media?.kind === 'sticker' && <img src={media.url} alt={media.fileName} className="bubble-sticker" data-testid="bubble-image" />}
            {media?.kind === 'video' && <video src={media.url} className="bubble-media" preload="metadata" muted data-testid="bubble-video" />}
            {(media?.kind === 'audio' || media?.kind === 'voice') && <audio src={media.url} controls preload="metadata" className="bubble-audio" data-testid="bubble-audio" />}
            {media?.kind === 'document' && <div className="bubble-doc" data-testid="bubble-doc">📄 {media.fileName}</div>}
            {!media?.textApart && <div className="bubble-text" data-testid="bubble-text">{formatWhatsApp(item.text)}</div>}
            <span className="bubble-time">12:00 ✓✓</span>
          </div>
          {media?.textApart && (
            // WhatsApp shows no caption on audio or stickers: the contact sees the text as a second message.
            <div className="bubble" data-testid="bubble-apart">
              <div className="bubble-text" data-testid="bubble-text">{formatWhatsApp(item.text)}</div>
              <span className="bubble-time">12:00 ✓✓</span>
            </div>
          )}
          {item.missing.length > 0 && <p className="hint warn-text">{t('messages.missingFields', { fields: item.missing.join(', ') })}</p>}
        </figure>
      ))}
    </div>
  );
}
