import type { Result } from '../../shared/errors';
import { ApiCallError } from './client';

export type Uploaded = { uploadId: string; fileName: string; size: number };

/**
 * Sends a file the user chose to the main process as a stream. Both transports serve `/api/upload` on the page's
 * own origin (loopback HTTP, or Electron's app://), so this is the same call in both.
 */
export async function uploadFile(file: File): Promise<Uploaded> {
  let response: Response;
  try {
    response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiCallError({ code: 'internal', message: 'network' });
  }
  const result = (await response.json()) as Result<Uploaded>;
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value;
}

/** Saves a file the main process prepared (an export), under its own name. */
export function saveDownload(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
