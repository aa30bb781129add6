import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
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

/** Serves the built renderer; unknown paths get index.html so the router can handle them. */
export function serveStatic(rootDir: string, pathname: string, res: http.ServerResponse): void {
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
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': type,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  fs.createReadStream(file).pipe(res);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
