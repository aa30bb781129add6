import type http from 'node:http';
import type { ApiError, ErrorCode, Result } from '../../shared/errors';

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: http.ServerResponse, status: number, code: ErrorCode, message: string): void {
  const error: ApiError = { code, message };
  sendJson(res, status, { ok: false, error });
}

/** HTTP status for a command's result: the envelope is always the body, the status helps scripts. */
export function statusFor(result: Result<unknown>): number {
  if (result.ok) return 200;
  switch (result.error.code) {
    case 'invalid_input':
      return 400;
    case 'unknown_command':
    case 'not_found':
      return 404;
    case 'internal':
      return 500;
    case 'disk_full':
      return 507;
    case 'request_reused':
      return 409;
    default:
      return 422;
  }
}

export { COMMON_HEADERS };
