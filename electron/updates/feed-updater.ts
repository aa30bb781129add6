import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { AppError } from '../core/app-error';
import { compareVersions, feedFileName, parseFeed, type FeedRelease, type UpdateChannel } from './feed';

const TIMEOUT_MS = 30_000;

/** What the update service needs from whatever fetches and installs updates (this file, or electron-updater). */
export interface UpdateBackend {
  /** The newer release on the feed, or null when this version is the newest. Throws `update_feed_down`. */
  check(): Promise<FeedRelease | null>;
  /** Fetches it and checks its hash; resolves once it is ready to install. Throws `update_bad_hash`, `update_truncated`. */
  download(release: FeedRelease, onProgress: (fraction: number) => void): Promise<void>;
  /** Installs what was downloaded and restarts the app (desktop only). */
  install?(): void;
}

export type FeedUpdaterOptions = {
  feedUrl: string;
  channel: () => UpdateChannel;
  currentVersion: string;
  platform?: NodeJS.Platform;
  /** Where downloads are kept: a file is only ever there whole and checked (a `.part` until then). */
  downloadDir: string;
  /** Plain http is accepted only from this machine (the tests' feed); a real feed is https. */
  allowHttpLoopback?: boolean;
};

function get(url: URL, allowHttpLoopback: boolean): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (url.protocol !== 'https:' && !(allowHttpLoopback && loopback && url.protocol === 'http:')) {
      reject(new AppError('update_feed_down', `the feed must be https: ${url.origin}`));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { timeout: TIMEOUT_MS, headers: { 'User-Agent': 'WhatzMe-Desktop-updater', 'Cache-Control': 'no-cache' } }, (res) => {
      if ((res.statusCode ?? 0) !== 200) {
        res.resume();
        reject(new AppError('update_feed_down', `${url.pathname}: HTTP ${res.statusCode}`));
        return;
      }
      resolve(res);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (error: NodeJS.ErrnoException) => reject(new AppError('update_feed_down', error.code ?? error.message)));
  });
}

/**
 * Updates from electron-builder's own metadata on a generic feed, without Electron: the check of web mode (which
 * only says a new version exists) and the tested core of the desktop app's updates. A download lands as
 * `<name>.part`, is checked against the size and the SHA-512 the metadata publishes, and only then renamed: a bad
 * hash or a cut download leaves nothing behind to install.
 */
export class FeedUpdater implements UpdateBackend {
  constructor(private readonly opts: FeedUpdaterOptions) {}

  private base(): URL {
    return new URL(this.opts.feedUrl.endsWith('/') ? this.opts.feedUrl : `${this.opts.feedUrl}/`);
  }

  async check(): Promise<FeedRelease | null> {
    const url = new URL(feedFileName(this.opts.channel(), this.opts.platform ?? process.platform), this.base());
    const res = await get(url, this.opts.allowHttpLoopback ?? false);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', resolve);
      res.on('error', (e) => reject(new AppError('update_feed_down', e.message)));
    });
    let release: FeedRelease;
    try {
      release = parseFeed(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      throw new AppError('update_feed_down', `unreadable metadata: ${(error as Error).message}`);
    }
    return compareVersions(release.version, this.opts.currentVersion) > 0 ? release : null;
  }

  /** The verified installer of a release, when it was downloaded before (null otherwise). */
  downloaded(release: FeedRelease): string | null {
    const file = path.join(this.opts.downloadDir, path.basename(release.file.url));
    return fs.existsSync(file) ? file : null;
  }

  async download(release: FeedRelease, onProgress: (fraction: number) => void): Promise<void> {
    fs.mkdirSync(this.opts.downloadDir, { recursive: true });
    const name = path.basename(release.file.url);
    const target = path.join(this.opts.downloadDir, name);
    const part = `${target}.part`;
    // An older version's files go: only the one being installed is kept.
    for (const old of fs.readdirSync(this.opts.downloadDir)) if (old !== name) fs.rmSync(path.join(this.opts.downloadDir, old), { force: true });
    const res = await get(new URL(release.file.url, this.base()), this.opts.allowHttpLoopback ?? false);
    const expected = release.file.size ?? (Number(res.headers['content-length']) || null);
    const hash = crypto.createHash('sha512');
    let received = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const out = fs.createWriteStream(part, { mode: 0o600 });
        res.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          received += chunk.length;
          if (expected) onProgress(Math.min(1, received / expected));
        });
        res.on('aborted', () => reject(new AppError('update_truncated', `got ${received} bytes`)));
        res.on('close', () => {
          if (!res.complete) reject(new AppError('update_truncated', `got ${received} bytes`));
        });
        res.on('error', () => reject(new AppError('update_truncated', `got ${received} bytes`)));
        out.on('error', (e) => reject(new AppError('update_truncated', e.message)));
        out.on('finish', resolve);
        res.pipe(out);
      });
      if (expected !== null && received !== expected) throw new AppError('update_truncated', `got ${received} of ${expected} bytes`);
      if (hash.digest('base64') !== release.file.sha512) throw new AppError('update_bad_hash', `${name}: the SHA-512 does not match the metadata`);
      fs.renameSync(part, target);
      onProgress(1);
    } catch (error) {
      fs.rmSync(part, { force: true });
      throw error;
    }
  }
}
