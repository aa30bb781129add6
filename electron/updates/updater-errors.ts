import { AppError } from '../core/app-error';

/**
 * electron-updater's failures in the app's words: a checksum mismatch is a bad hash (the download is discarded);
 * anything else during the check is the feed, during the download a cut download.
 */
export function updaterFailure(error: unknown, during: 'check' | 'download'): AppError {
  const text = error instanceof Error ? error.message : String(error);
  if (/sha512|checksum/i.test(text)) return new AppError('update_bad_hash', text.slice(0, 300));
  return new AppError(during === 'check' ? 'update_feed_down' : 'update_truncated', text.slice(0, 300));
}
