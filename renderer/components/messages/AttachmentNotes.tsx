import type { MediaView } from '../../../shared/messages';
import { useI18n } from '../../i18n/i18n';
import { useAppState } from '../../state/app-state';

/** What to know of an attachment before it goes, in a campaign or an answer: slow to send, text apart, video support. */
export function AttachmentNotes({ media }: { media: MediaView }) {
  const { t } = useI18n();
  const { info } = useAppState();
  return (
    <>
      {media.slow && <p className="banner banner-warning" data-testid="slow-warning">{t('messages.slowWarning')}</p>}
      {media.textApart && <p className="hint" data-testid="text-apart-note">{t('messages.textApart')}</p>}
      {media.kind === 'video' && info.videoSupport === 'no' && <p className="banner banner-warning" data-testid="video-browser-warning">{t('messages.videoNeedsChrome')}</p>}
    </>
  );
}
