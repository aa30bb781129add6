import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { AppError } from '../core/app-error';

export const UPLOAD_LIMIT = 256 * 1024 * 1024;
const ID = /^[a-f0-9]{32}$/;
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export type StoredFile = { id: string; fileName: string; size: number };
export class UploadTooLarge extends Error {}

/**
 * Files that cross the UI boundary, in both directions: uploads (contact lists, attachments) streamed to disk,
 * and downloads (exports) served from disk. Both transports (HTTP and Electron's app://) use the same store.
 */
export class FileStore {
  constructor(
    private readonly dir: string,
    private readonly now: () => number,
    /** Told of a failed write (a full disk turns into the app's disk-full state, not just one refused upload). */
    private readonly onWriteError: (error: unknown) => void = () => undefined,
  ) {
    fs.mkdirSync(path.join(dir, 'uploads'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'downloads'), { recursive: true });
  }

  /** Streams a body to disk, refusing (and deleting) it past the limit. */
  async saveUpload(body: Readable, fileName: string, limit = UPLOAD_LIMIT): Promise<StoredFile> {
    const id = crypto.randomBytes(16).toString('hex');
    const target = this.file('uploads', id);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit) done(new UploadTooLarge());
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, fs.createWriteStream(target));
      const stored = { id, fileName: safeName(fileName), size };
      fs.writeFileSync(`${target}.json`, JSON.stringify(stored));
      return stored;
    } catch (error) {
      fs.rmSync(target, { force: true });
      fs.rmSync(`${target}.json`, { force: true });
      this.onWriteError(error);
      throw error;
    }
  }

  upload(id: string): StoredFile & { path: string } {
    return this.lookup('uploads', id, 'upload_not_found');
  }

  /** Registers a file the app made (an export) for the UI to download under a friendly name. */
  createDownload(fileName: string): { id: string; path: string; commit(): StoredFile } {
    const id = crypto.randomBytes(16).toString('hex');
    const target = this.file('downloads', id);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    return {
      id,
      path: target,
      commit: () => {
        const stored = { id, fileName: safeName(fileName), size: fs.statSync(target).size };
        fs.writeFileSync(`${target}.json`, JSON.stringify(stored));
        return stored;
      },
    };
  }

  download(id: string): StoredFile & { path: string } {
    return this.lookup('downloads', id, 'not_found');
  }

  /** An upload done with (a contact list once imported, failed or cancelled): its personal data goes at once. */
  discardUpload(id: string): void {
    if (!ID.test(id)) return;
    const target = this.file('uploads', id);
    fs.rmSync(target, { force: true });
    fs.rmSync(`${target}.json`, { force: true });
  }

  /** Uploads and downloads are working files: those older than a day go at start-up. */
  sweep(): void {
    for (const kind of ['uploads', 'downloads'] as const) {
      const dir = path.join(this.dir, kind);
      for (const name of fs.readdirSync(dir)) {
        const full = path.join(dir, name);
        if (this.now() - fs.statSync(full).mtimeMs > MAX_AGE_MS) fs.rmSync(full, { force: true });
      }
    }
  }

  private lookup(kind: 'uploads' | 'downloads', id: string, code: 'upload_not_found' | 'not_found') {
    if (!ID.test(id)) throw new AppError(code, `no ${kind} ${id.slice(0, 40)}`, 'id');
    const target = this.file(kind, id);
    try {
      const meta = JSON.parse(fs.readFileSync(`${target}.json`, 'utf8')) as StoredFile;
      return { ...meta, path: target };
    } catch {
      throw new AppError(code, `no ${kind} ${id}`, 'id');
    }
  }

  private file(kind: string, id: string): string {
    return path.join(this.dir, kind, id);
  }
}

/** What a command returns for a file to download; both transports serve it at this path. */
export function downloadView(stored: { id: string; fileName: string }): { downloadId: string; fileName: string; url: string } {
  return { downloadId: stored.id, fileName: stored.fileName, url: `/api/download/${stored.id}` };
}

/** A name safe to show and to offer in Content-Disposition: no folders, no control characters. */
export function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters would break headers and file names.
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f"]/g, '').trim().slice(0, 200);
  return cleaned || 'archivo';
}

/** The Content-Type a download is served with, in web mode and on app:// alike. */
export function downloadType(fileName: string): string {
  return fileName.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8';
}

/** `attachment; filename=…` that keeps accents (RFC 5987) and stays ASCII-safe for old clients. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/[";\\]/g, '') || 'archivo';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
