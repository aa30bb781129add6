import crypto from 'node:crypto';
import type http from 'node:http';

/** A fresh random token for one run of the server. */
export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** The names this server answers to: anything else is a DNS-rebinding attempt. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** Browsers send Origin on cross-site and on most same-site requests; when present it must be this server. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return allowedHosts(port).some((host) => origin.toLowerCase() === `http://${host}`);
}

export function cookieName(port: number): string {
  // Cookies ignore ports: a name per port keeps two running instances from overwriting each other.
  return `whatzme_${port}`;
}

/** The token the request carries: `Authorization: Bearer`, `X-WhatzMe-Token`, or the session cookie. */
export function presentedToken(req: http.IncomingMessage, port: number): string | undefined {
  const auth = req.headers.authorization;
  // The scheme is case-insensitive (RFC 9110 §11.1): `bearer` is as good as `Bearer`.
  const bearer = auth === undefined ? null : /^bearer\s+(\S+)\s*$/i.exec(auth);
  if (bearer) return bearer[1];
  const header = req.headers['x-whatzme-token'];
  if (typeof header === 'string') return header;
  return readCookie(req.headers.cookie, cookieName(port));
}

export function tokensMatch(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    // Any page on 127.0.0.1 can set this cookie (cookies ignore ports): a malformed escape is no token, not a crash.
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** For attachments served to the preview: never a document that runs anything. */
export const MEDIA_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";

/** Content-Security-Policy for the UI, the same policy the Electron window enforces. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
