import type { MediaKind, OutgoingMessage } from '../driver';

/** Kinds WhatsApp shows no caption on: the text must go as its own message, or it is lost. */
export function captionless(kind: MediaKind): boolean {
  return kind === 'audio' || kind === 'voice' || kind === 'sticker';
}

/** whatsapp-web.js `sendMessage` options for one message: never mark the chat seen; caption only where shown. */
export function mediaOptions(content: OutgoingMessage): Record<string, unknown> {
  const options: Record<string, unknown> = { sendSeen: false };
  const media = content.media;
  if (!media) return options;
  if (!captionless(media.kind) && content.text.trim() !== '') options.caption = content.text;
  if (media.kind === 'voice') options.sendAudioAsVoice = true;
  if (media.kind === 'document') options.sendMediaAsDocument = true;
  if (media.kind === 'sticker') options.sendMediaAsSticker = true;
  return options;
}
