import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import zlib from 'node:zlib';
import { COMMON_HEADERS } from './respond';
import { CONTENT_SECURITY_POLICY } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Text files go compressed when the browser takes it (#34: the renderer's JavaScript was sent as 1 MB of plain text). */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg']);
type Encoding = 'br' | 'gzip';
/** Compressed once per file version and kept: the built files never change while the app runs, and are few. */
const compressed = new Map<string, Buffer>();

function encodingFor(acceptEncoding: string | undefined): Encoding | null {
  const accepted = (acceptEncoding ?? '').split(',').map((e) => e.trim().split(';')[0]);
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return null;
}

function compressedFile(file: string, encoding: Encoding): Buffer {
  const { mtimeMs, size } = fs.statSync(file);
  const key = `${encoding}|${file}|${mtimeMs}|${size}`;
  let body = compressed.get(key);
  if (!body) {
    const raw = fs.readFileSync(file);
    // Brotli at a middle quality: within a few percent of its best, in milliseconds rather than a second per MB.
    body = encoding === 'br' ? zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }) : zlib.gzipSync(raw, { level: 6 });
    compressed.set(key, body);
  }
  return body;
}

/** Serves the built renderer; unknown paths get index.html so the router can handle them. */
export function serveStatic(rootDir: string, pathname: string, res: http.ServerResponse, acceptEncoding?: string): void {
  const root = path.resolve(rootDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // A malformed escape (`/%E0%A4%A`) names no file: a client error, not a server one.
    res.writeHead(400, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Bad path');
    return;
  }
  let file = path.resolve(root, '.' + decoded);
  if (!file.startsWith(root + path.sep) && file !== root) file = path.join(root, 'index.html');
  if (!isFile(file)) file = path.join(root, 'index.html');
  if (!isFile(file)) {
    res.writeHead(503, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The UI is not built: run `npm run build:renderer`.');
    return;
  }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  const headers = {
    ...COMMON_HEADERS,
    'Content-Type': type,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    Vary: 'Accept-Encoding',
  };
  const encoding = COMPRESSIBLE.has(path.extname(file)) ? encodingFor(acceptEncoding) : null;
  if (encoding) {
    const body = compressedFile(file, encoding);
    res.writeHead(200, { ...headers, 'Content-Encoding': encoding, 'Content-Length': body.length });
    res.end(body);
    return;
  }
  res.writeHead(200, headers);
  fs.createReadStream(file).pipe(res);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
