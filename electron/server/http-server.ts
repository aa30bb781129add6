import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from '../core/dispatcher';
import { type FileStore, UploadTooLarge, UPLOAD_LIMIT, contentDisposition, downloadType } from '../files';
import fs from 'node:fs';
import type { EventBus } from '../core/event-bus';
import type { ErrorCode } from '../../shared/errors';
import type { Logger } from '../core/logger';
import { isDiskFull } from '../core/storage-guard';
import { sendAccessPage } from './access-page';
import { BodyTooLarge, readBody } from '../core/request-body';
import { attachEventsSocket } from './events-socket';
import { sendError, sendJson, statusFor } from './respond';
import { MEDIA_CONTENT_SECURITY_POLICY, cookieName, isAllowedHost, isAllowedOrigin, newToken, presentedToken, tokensMatch } from './security';
import { serveStatic } from './static-files';
import type { ApiKeys, KeyHolder } from '../api/api-keys';
import { KEY_PREFIX } from '../api/api-keys';

export const HOST = '127.0.0.1';
export const API_BODY_LIMIT = 1024 * 1024;

export type ServerOptions = {
  dispatcher: Dispatcher;
  bus: EventBus;
  logger: Logger;
  rendererDir: string;
  files?: FileStore;
  /** Attachments by id, for the preview's thumbnails and players. */
  media?: (id: string) => { path: string; mime: string; size: number } | undefined;
  port?: number;
  token?: string;
  /** The automation API's keys: a request may carry one instead of the per-run token (only for `/api/…`). */
  apiKeys?: ApiKeys;
  /** The OpenAPI description, served at `/api/openapi.json` to anyone who may reach the server. */
  openapi?: () => unknown;
  /**
   * Another address than 127.0.0.1 (the user's network): then the server answers the automation API alone, to API
   * keys alone (never the UI's token or cookie), and refuses browsers (any request with an Origin).
   */
  host?: string;
};

const COOKIE_MAX_AGE_S = 400 * 24 * 3600;

/**
 * Slow clients (headers trickling in) hold a socket for seconds, not minutes; checked every 2 s (Node: 30 s). The
 * headers timeout stays above the longest Chromium keeps an unused spare connection (10 s, swept every 10 s: at most
 * 20 s), so the browser closes its spares before the server would. An idle keep-alive connection is kept 65 s:
 * longer than the clients that do not retry keep theirs (Node's own agent: 5 s, exactly Node's default server
 * keep-alive, so a request written as the server closed met ECONNRESET — seen in CI from the tests' own client);
 * Chromium keeps its used ones 300 s but resends on a reused socket that closes under it.
 */
export const SERVER_TIMEOUTS = { headersTimeout: 25_000, requestTimeout: 60_000, keepAliveTimeout: 65_000, connectionsCheckingInterval: 2000 } as const;

/** A URL as it may be logged: the token it may carry is the key to the whole app. */
export function redactToken(url: string | undefined): string | undefined {
  return url?.replace(/([?&]token=)[^&#]*/gi, '$1…');
}

export type RunningServer = { url: string; port: number; token: string; close(): Promise<void> };

/** The web-mode transport: the contract over loopback HTTP + WebSocket, guarded by a per-run token. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  let port = opts.port ?? 0;

  const server = http.createServer(SERVER_TIMEOUTS, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const full = isDiskFull(error);
      opts.logger[full ? 'warn' : 'error']({ err: error, url: redactToken(req.url) }, 'request failed');
      if (!res.headersSent) sendError(res, full ? 507 : 500, full ? 'disk_full' : 'internal', full ? 'the disk of the data folder is full' : 'internal error');
      else res.destroy();
    });
  });

  const host = opts.host ?? HOST;
  const exposed = host !== HOST;

  /** On the network: the API's description, and commands with an API key in the Authorization header; nothing else. */
  async function handleExposed(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.headers.origin !== undefined) return sendError(res, 403, 'forbidden', 'browsers are not served on this address');
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    if (url.pathname === '/api/openapi.json' && (req.method === 'GET' || req.method === 'HEAD') && opts.openapi) return sendJson(res, 200, opts.openapi());
    const auth = req.headers.authorization;
    const key = auth === undefined ? undefined : /^bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
    if (!key?.startsWith(KEY_PREFIX) || !opts.apiKeys) return sendError(res, 401, 'unauthorized', 'this address takes API keys only');
    if (!url.pathname.startsWith('/api/')) return sendError(res, 404, 'not_found', 'only the API is served on this address');
    return withKey(req, res, url, opts.apiKeys, key);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (exposed) return handleExposed(req, res);
    if (!isAllowedHost(req.headers.host, port)) return sendError(res, 403, 'forbidden', 'Host not allowed');
    if (!isAllowedOrigin(req.headers.origin, port)) return sendError(res, 403, 'forbidden', 'Origin not allowed');
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);

    // The printed link carries the token once; it becomes a same-site cookie and leaves the address bar.
    const linkToken = url.searchParams.get('token');
    if (req.method === 'GET' && linkToken !== null) {
      if (!tokensMatch(token, linkToken)) return url.pathname.startsWith('/api/') ? sendError(res, 401, 'unauthorized', 'invalid token') : sendAccessPage(res);
      url.searchParams.delete('token');
      res.writeHead(302, {
        Location: url.pathname + url.search,
        // Kept by the browser across its restarts (400 days, browsers' cap): the token itself survives the app's.
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${COOKIE_MAX_AGE_S}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }

    if (url.pathname === '/api/openapi.json' && opts.openapi && (req.method === 'GET' || req.method === 'HEAD')) return sendJson(res, 200, opts.openapi());

    const presented = presentedToken(req, port);
    if (!tokensMatch(token, presented)) {
      if (presented?.startsWith(KEY_PREFIX) && opts.apiKeys && url.pathname.startsWith('/api/')) return withKey(req, res, url, opts.apiKeys, presented);
      if ((req.method === 'GET' || req.method === 'HEAD') && !url.pathname.startsWith('/api/')) return sendAccessPage(res);
      return sendError(res, 401, 'unauthorized', 'missing or invalid token');
    }

    if (url.pathname === '/api/upload' && opts.files) return upload(req, res, url, opts.files);
    if (url.pathname.startsWith('/api/download/') && opts.files) return download(res, url, opts.files);
    if (url.pathname.startsWith('/api/media/') && opts.media) return serveMedia(res, opts.media(url.pathname.slice('/api/media/'.length)));

    if (url.pathname.startsWith('/api/')) {
      await command(req, res, url, null);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'invalid_input', 'method not allowed');
    serveStatic(opts.rendererDir, url.pathname, res, req.headers['accept-encoding']);
  }

  /** One command over HTTP: the JSON body is its input; the answer's status helps scripts, the body is the envelope. */
  async function command(req: http.IncomingMessage, res: http.ServerResponse, url: URL, holder: KeyHolder | null): Promise<{ status: number; code: string | null }> {
    const answer = (status: number, code: ErrorCode, message: string) => {
      sendError(res, status, code, message);
      return { status, code };
    };
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'use POST' } }, { Allow: 'POST' });
      return { status: 405, code: 'invalid_input' };
    }
    const name = url.pathname.slice('/api/'.length);
    if (holder && opts.apiKeys && !opts.apiKeys.allows(holder, name)) return answer(403, 'forbidden', `the key's scope (${holder.scope}) does not allow ${name.slice(0, 80)}`);
    let body: Buffer;
    try {
      body = await readBody(req, API_BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLarge) return answer(413, 'payload_too_large', `body over ${API_BODY_LIMIT} bytes`);
      throw error;
    }
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return answer(400, 'invalid_input', 'body is not valid JSON');
      }
    }
    const requestId = req.headers['x-request-id'];
    const result = await opts.dispatcher.dispatch(name, input, { keyId: holder?.id ?? null, ...(typeof requestId === 'string' ? { requestId } : {}) });
    const status = statusFor(result);
    sendJson(res, status, result);
    return { status, code: result.ok ? null : result.error.code };
  }

  /** A request with an API key: only commands (and uploads, for keys of scope `all`); each one is logged, never its secrets. */
  async function withKey(req: http.IncomingMessage, res: http.ServerResponse, url: URL, keys: ApiKeys, secret: string): Promise<void> {
    const started = performance.now();
    const holder = keys.authenticate(secret);
    const name = url.pathname.slice('/api/'.length);
    let outcome: { status: number; code: string | null };
    if (!holder) {
      sendError(res, 401, 'unauthorized', 'unknown or revoked API key');
      outcome = { status: 401, code: 'unauthorized' };
    } else if (url.pathname === '/api/upload' && opts.files) {
      if (holder.scope !== 'all') {
        sendError(res, 403, 'forbidden', 'uploads need a key of scope all');
        outcome = { status: 403, code: 'forbidden' };
      } else {
        await upload(req, res, url, opts.files);
        outcome = { status: res.statusCode, code: null };
      }
    } else if (url.pathname.startsWith('/api/download/') || url.pathname.startsWith('/api/media/')) {
      sendError(res, 403, 'forbidden', 'files are for the app itself');
      outcome = { status: 403, code: 'forbidden' };
    } else outcome = await command(req, res, url, holder);
    keys.log({ keyId: holder?.id ?? null, command: name, status: outcome.status, code: outcome.code, ms: performance.now() - started });
    opts.logger.info({ key: holder?.name ?? null, command: name.slice(0, 80), status: outcome.status, code: outcome.code }, 'api request');
  }

  async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, files: FileStore): Promise<void> {
    if (req.method !== 'POST') return sendError(res, 405, 'invalid_input', 'use POST');
    if (Number(req.headers['content-length'] ?? 0) > UPLOAD_LIMIT) {
      req.resume();
      return sendError(res, 413, 'payload_too_large', `file over ${UPLOAD_LIMIT} bytes`);
    }
    try {
      const stored = await files.saveUpload(req, url.searchParams.get('name') ?? 'archivo');
      return sendJson(res, 200, { ok: true, value: { uploadId: stored.id, fileName: stored.fileName, size: stored.size } });
    } catch (error) {
      if (error instanceof UploadTooLarge) {
        res.setHeader('Connection', 'close');
        return sendError(res, 413, 'payload_too_large', `file over ${UPLOAD_LIMIT} bytes`);
      }
      throw error;
    }
  }

  function download(res: http.ServerResponse, url: URL, files: FileStore): void {
    let file;
    try {
      file = files.download(url.pathname.slice('/api/download/'.length));
    } catch {
      return sendError(res, 404, 'not_found', 'no such download');
    }
    res.writeHead(200, {
      'Content-Type': downloadType(file.fileName),
      'Content-Length': file.size,
      'Content-Disposition': contentDisposition(file.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    fs.createReadStream(file.path).pipe(res);
  }

  function serveMedia(res: http.ServerResponse, file: { path: string; mime: string; size: number } | undefined): void {
    if (!file || !fs.existsSync(file.path)) return sendError(res, 404, 'not_found', 'no such attachment');
    res.writeHead(200, {
      'Content-Type': file.mime,
      'Content-Length': file.size,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=3600',
      'Content-Security-Policy': MEDIA_CONTENT_SECURITY_POLICY,
    });
    fs.createReadStream(file.path).pipe(res);
  }

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { bytesRead?: number }) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    // Node counts a new connection's headers timeout from the connect. A connection that never sent a byte is a
    // browser's spare (Chromium keeps unused ones 10 s: net/socket/client_socket_pool.cc): it is closed without an
    // answer. An answer there was the spurious 400 of #30: the browser wrote its next command into that socket at
    // the same moment, read the 400 as its answer, and the command still ran behind it.
    if (timedOut && socket.bytesRead === 0) return void socket.destroy();
    if (error.code !== 'ECONNRESET') opts.logger.warn({ err: error }, 'bad request');
    // Destroyed, not ended: whatever the client writes after this answer must never run as a command.
    if (socket.writable) socket.write(timedOut ? 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });
  const socket = exposed ? null : attachEventsSocket(server, opts.bus, { token, port: () => port, onError: (error) => opts.logger.warn({ err: error }, 'events socket error') });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: exposed ? `http://${host.includes(':') ? `[${host}]` : host}:${port}` : `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        socket?.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
