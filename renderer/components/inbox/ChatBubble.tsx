import type { ChatItem } from '../../../shared/conversations';
import { reasonText } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { formatWhatsApp } from '../messages/whatsapp-format';

/** WhatsApp's receipts: a clock while it waits, one grey tick sent, two grey delivered, two blue read. */
export function Ticks({ state }: { state: string | null }) {
  const { t } = useI18n();
  if (!state) return null;
  const shown: Record<string, [string, string]> = {
    queued: ['🕓', 'queued'],
    sending: ['🕓', 'sending'],
    in_doubt: ['🕓', 'in_doubt'],
    sent: ['✓', 'sent'],
    delivered: ['✓✓', 'delivered'],
    read: ['✓✓', 'read'],
    failed: ['⚠', 'failed'],
    skipped: ['⚠', 'skipped'],
  };
  const [mark, key] = shown[state] ?? ['', state];
  return (
    <span className={`ticks ticks-${state}`} title={t(`inbox.state.${key}`)} aria-label={t(`inbox.state.${key}`)} data-testid="chat-ticks">
      {mark}
    </span>
  );
}

function time(ms: number, language: string): string {
  return new Date(ms).toLocaleTimeString(language === 'es' ? 'es-MX' : 'en-US', { hour: '2-digit', minute: '2-digit' });
}

/** One message of a chat as WhatsApp draws it: theirs on the left, ours on the right with ticks and where it came from. */
export function ChatBubble({ item, onDecide }: { item: ChatItem; onDecide(replyId: number, optOut: boolean): void }) {
  const { t, language } = useI18n();
  const mine = item.kind !== 'in';
  const media = item.media;
  const label = item.kind === 'campaign' ? t('inbox.from.campaign', { name: item.campaignName ?? '' }) : t(`inbox.from.${item.kind}`);
  return (
    <li className={`chat-row ${mine ? 'chat-out' : 'chat-in'}`} data-testid="chat-item" data-kind={item.kind} data-state={item.state ?? undefined}>
      <div className={`bubble ${mine ? '' : 'bubble-in'}`}>
        {mine && <div className="bubble-source">{label}{item.numberLabel ? ` · ${item.numberLabel}` : ''}</div>}
        {media?.kind === 'image' && <img src={media.url} alt={media.fileName} className="bubble-media" data-testid="chat-image" />}
        {media?.kind === 'sticker' && <img src={media.url} alt={media.fileName} className="bubble-sticker" data-testid="chat-image" />}
        {media?.kind === 'video' && <video src={media.url} className="bubble-media" controls preload="metadata" />}
        {(media?.kind === 'audio' || media?.kind === 'voice') && <audio src={media.url} controls preload="metadata" className="bubble-audio" data-testid="chat-audio" />}
        {media?.kind === 'document' && (
          <a className="bubble-doc" href={media.url} download={media.fileName} data-testid="chat-doc">📄 {media.fileName}</a>
        )}
        {!media && item.type !== 'chat' && <div className="bubble-doc">{t(`inbox.media.${item.type}`)}</div>}
        {item.text && <div className="bubble-text">{formatWhatsApp(item.text)}</div>}
        <span className="bubble-time">
          {time(item.at, language)} {mine && <Ticks state={item.state} />}
        </span>
      </div>
      {mine && (item.state === 'failed' || item.state === 'skipped') && item.reason && <p className="hint warn-text">{reasonText(t, item.reason)}</p>}
      {!mine && item.optOut && <span className="badge badge-bad">{t('inbox.optOut')}</span>}
      {!mine && item.doubt && item.replyId !== null && (
        <div className="doubt" data-testid="chat-doubt">
          <strong>{t('inbox.doubtQuestion')}</strong>
          <span className="actions">
            <button type="button" className="button-danger" onClick={() => onDecide(item.replyId!, true)} data-testid="chat-doubt-opt-out">{t('inbox.doubtOptOut')}</button>
            <button type="button" className="button-secondary" onClick={() => onDecide(item.replyId!, false)} data-testid="chat-doubt-keep">{t('inbox.doubtKeep')}</button>
          </span>
        </div>
      )}
    </li>
  );
}

