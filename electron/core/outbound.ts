import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where the app may connect on a user's or a stranger's say (media links, webhooks, the Cloud relay), judged on the
 * address actually connected to — after DNS, for every hop — by ipaddr.js's ranges, never by how it is written.
 */

/**
 * A public address: not this machine, the user's network, link-local (cloud metadata at 169.254.169.254), carrier
 * NAT, multicast, the reserved blocks, nor an IPv6 form that carries an IPv4 address inside (mapped `::ffff:7f00:1`,
 * compatible `::7f00:1`, NAT64 `64:ff9b::7f00:1`, 6to4 `2002:7f00:1::`, Teredo).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // an IPv4-mapped IPv6 address becomes the IPv4 address it carries
  if (parsed.range() !== 'unicast') return false;
  if (parsed.kind() === 'ipv4') return true;
  const parts = (parsed as ipaddr.IPv6).parts;
  // ::/96 (IPv4-compatible, deprecated) is "unicast" to ipaddr.js; global unicast is 2000::/3 and nothing else.
  if (parts.slice(0, 6).every((p) => p === 0)) return false;
  return (parts[0]! & 0xe000) === 0x2000;
}

/** This machine: 127.0.0.0/8 and ::1 (and ::ffff:127.x). */
export function isLoopbackAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';
}

/** The user's own network: 10/8, 172.16/12, 192.168/16, fc00::/7 — never link-local or metadata addresses. */
export function isLanAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = ipaddr.process(address).range();
  return range === 'private' || range === 'uniqueLocal';
}

/** Which addresses a target may reach: public ones, this machine's if it is the user's own system, the LAN if chosen. */
export type AddressRule = { loopback: boolean; lan: boolean };

/** Public addresses only: a relay, or anything a stranger's text names. */
export const PUBLIC_ONLY: AddressRule = { loopback: false, lan: false };

export function allows(rule: AddressRule, address: string): boolean {
  return isPublicAddress(address) || (rule.loopback && isLoopbackAddress(address)) || (rule.lan && isLanAddress(address));
}

/** A URL's host when it is an address written out (`[::1]` → `::1`), else null (a name, resolved at the connection). */
export function literalHost(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return net.isIP(host) ? host : null;
}

/** Resolves as usual, then refuses the connection when any address is not allowed: checked on the address used. */
export function guardedLookup(allow: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused = list.find((a) => !allow(a.address));
      if (refused || list.length === 0) {
        const denied = Object.assign(new Error(`address not allowed: ${refused?.address ?? 'none'}`), { code: 'EADDRNOTALLOWED' });
        return callback(denied, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * How an outbound request ended, in few words: a receiver's HTTP status is its own answer, but every way of not
 * answering (refused, timed out, unreachable, unknown name) is one `no_answer`, so the app cannot be used to tell
 * open ports from closed ones on a network.
 */
export type Outcome =
  | { ok: true; status: number; body: Buffer }
  | { ok: false; status: number | null; error: 'address_refused' | 'no_answer' | 'too_large' | 'http_error' };

/** One request with an address rule, a time limit and a cap on the answer read; redirects are not followed. */
export function send(
  target: URL,
  opts: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; rule: AddressRule; timeoutMs: number; limitBytes: number; ca?: string | Buffer },
): Promise<Outcome> {
  return new Promise((resolve) => {
    const allow = (address: string) => allows(opts.rule, address);
    const literal = literalHost(target);
    if (literal !== null && !allow(literal)) return resolve({ ok: false, status: null, error: 'address_refused' });
    const client = target.protocol === 'https:' ? https : http;
    const headers = { ...opts.headers, ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}) };
    let done = false;
    const finish = (outcome: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = client.request(target, { method: opts.method, headers, lookup: guardedLookup(allow), ca: opts.ca }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.limitBytes) {
          req.destroy();
          return finish({ ok: false, status, error: 'too_large' });
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish(status >= 200 && status < 300 ? { ok: true, status, body: Buffer.concat(chunks) } : { ok: false, status, error: 'http_error' }));
      res.on('error', () => finish({ ok: false, status, error: 'no_answer' }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, status: null, error: 'no_answer' });
    }, opts.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, status: null, error: error.code === 'EADDRNOTALLOWED' ? 'address_refused' : 'no_answer' }));
    req.end(opts.body);
  });
}
