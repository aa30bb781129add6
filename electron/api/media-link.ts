import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { AppError } from '../core/app-error';
import { guardedLookup, isPublicAddress, literalHost } from '../core/outbound';
import type { Db } from '../db';
import type { MediaStore } from '../messages';

const MAX_REDIRECTS = 5;

export { isPublicAddress };

export type FetchOptions = {
  limitBytes: number;
  timeoutMs: number;
  /** Which resolved addresses may be reached (default: public ones only); tests let their own 127.0.0.1 server in. */
  allowAddress?: (address: string) => boolean;
  /** Extra CAs to trust (a test's self-signed certificate). */
  ca?: string | Buffer;
  /** Where a download is written while it comes (default: the OS temp folder); the app uses its data folder's. */
  tempDir?: string;
};

/** Downloads one https link to a temporary file, within the limits; every hop is https and reaches allowed addresses. */
export async function download(link: string, opts: FetchOptions): Promise<{ file: string; fileName: string }> {
  const allow = opts.allowAddress ?? isPublicAddress;
  const deadline = Date.now() + opts.timeoutMs;
  let url = parseLink(link);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const literal = literalHost(url);
    if (literal !== null && !allow(literal)) {
      throw new AppError('media_url_refused', `address not allowed: ${url.hostname}`, 'mediaUrl');
    }
    const answer = await get(url, opts, allow, deadline);
    if (answer.redirect) {
      const next = new URL(answer.redirect, url);
      if (next.protocol !== 'https:') throw new AppError('media_url_refused', `redirect to ${next.protocol} refused`, 'mediaUrl');
      url = next;
      continue;
    }
    return { file: answer.file!, fileName: fileNameOf(url, answer.disposition) };
  }
  throw new AppError('media_fetch_failed', `more than ${MAX_REDIRECTS} redirects`, 'mediaUrl');
}

function parseLink(link: string): URL {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new AppError('invalid_input', 'not a link', 'mediaUrl');
  }
  if (url.protocol !== 'https:') throw new AppError('media_url_refused', 'only https links are fetched', 'mediaUrl');
  if (url.username || url.password) throw new AppError('media_url_refused', 'no user or password in the link', 'mediaUrl');
  return url;
}

function fileNameOf(url: URL, disposition: string | undefined): string {
  const named = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const raw = safeDecode(named ? named[1]! : path.posix.basename(url.pathname) || 'archivo');
  // Path separators, characters Windows refuses, and control characters (below a space) become `_`.
  const safe = [...raw].map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('');
  return safe.slice(0, 120) || 'archivo';
}

/** A %-escaped name as it reads; a malformed escape (`%E0%A4%A`) is kept as written, never a throw. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function get(url: URL, opts: FetchOptions, allow: (a: string) => boolean, deadline: number): Promise<{ redirect?: string; file?: string; disposition?: string }> {
  return new Promise((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) return reject(new AppError('media_fetch_failed', 'time limit reached', 'mediaUrl'));
    let settled = false;
    // The part of a download that failed goes before the refusal is told (whatever failed it, the timer too).
    let partial: { file: string; out: fs.WriteStream } | null = null;
    const fail = (error: AppError) => {
      if (settled) return;
      settled = true;
      req.destroy();
      if (partial) {
        partial.out.destroy();
        fs.rmSync(partial.file, { force: true });
      }
      reject(error);
    };
    const timer = setTimeout(() => fail(new AppError('media_fetch_failed', `no complete answer in ${Math.round(opts.timeoutMs / 1000)} s`, 'mediaUrl')), left);
    const req = https.get(url, { lookup: guardedLookup(allow), ca: opts.ca, headers: { 'User-Agent': 'WhatzMe-Desktop', Accept: '*/*' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        clearTimeout(timer);
        settled = true;
        return resolve({ redirect: res.headers.location });
      }
      if (status !== 200) {
        res.resume();
        clearTimeout(timer);
        return fail(new AppError('media_fetch_failed', `the link answered HTTP ${status}`, 'mediaUrl'));
      }
      const length = Number(res.headers['content-length'] ?? 0);
      if (length > opts.limitBytes) {
        clearTimeout(timer);
        return fail(new AppError('media_too_large', `${length} bytes is over ${opts.limitBytes}`, String(Math.round(opts.limitBytes / 1024 / 1024))));
      }
      const dir = opts.tempDir ?? os.tmpdir();
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `whatzme-link-${crypto.randomBytes(8).toString('hex')}`);
      const out = fs.createWriteStream(file, { mode: 0o600 });
      partial = { file, out };
      let size = 0;
      const cleanUp = () => fs.rmSync(file, { force: true });
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.limitBytes) {
          clearTimeout(timer);
          res.unpipe(out);
          out.destroy();
          cleanUp();
          fail(new AppError('media_too_large', `over ${opts.limitBytes} bytes`, String(Math.round(opts.limitBytes / 1024 / 1024))));
        }
      });
      out.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        cleanUp();
        fail(new AppError('media_fetch_failed', error.code ?? error.message, 'mediaUrl'));
      });
      res.pipe(out);
      res.on('aborted', () => {
        clearTimeout(timer);
        cleanUp();
        fail(new AppError('media_fetch_failed', 'the download was cut off', 'mediaUrl'));
      });
      out.on('finish', () => {
        clearTimeout(timer);
        if (settled) return cleanUp();
        if (length > 0 && size !== length) {
          cleanUp();
          return fail(new AppError('media_fetch_failed', `got ${size} of ${length} bytes`, 'mediaUrl'));
        }
        settled = true;
        partial = null;
        resolve({ file, disposition: res.headers['content-disposition'] });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'EADDRNOTALLOWED') return fail(new AppError('media_url_refused', error.message, 'mediaUrl'));
      fail(new AppError('media_fetch_failed', error.code ?? error.message, 'mediaUrl'));
    });
  });
}

/** Downloads a crash cut short (`whatzme-link-*` in the data folder's tmp/): removed at the next start. */
export function sweepLinkDownloads(tempDir: string): void {
  if (!fs.existsSync(tempDir)) return;
  for (const name of fs.readdirSync(tempDir)) if (name.startsWith('whatzme-link-')) fs.rmSync(path.join(tempDir, name), { force: true });
}

/**
 * Attachments by https link: fetched once per link (then the stored copy is used), checked by their bytes like an
 * upload (MediaStore.add), kept by content hash.
 */
export class MediaLinks {
  constructor(
    private readonly db: Db,
    private readonly media: MediaStore,
    private readonly now: () => number,
    private readonly options: () => FetchOptions,
  ) {}

  async fetch(link: string): Promise<string> {
    const known = this.db.prepare('SELECT l.media_id FROM media_links l JOIN media m ON m.id = l.media_id WHERE l.url = ?').pluck().get(link) as string | undefined;
    if (known && this.media.file(known) && fs.existsSync(this.media.file(known)!.path)) return known;
    const { file, fileName } = await download(link, this.options());
    try {
      const stored = await this.media.add(file, fileName);
      this.db.prepare('INSERT INTO media_links (url, media_id, fetched_at) VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET media_id = excluded.media_id, fetched_at = excluded.fetched_at').run(link, stored.id, this.now());
      return stored.id;
    } finally {
      fs.rm(file, { force: true }, () => undefined);
    }
  }
}
