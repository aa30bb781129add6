import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db';
import { zipBuffer } from '../core/zip-writer';
import type { SessionManager } from '../whatsapp';
import { maskDigits, maskLog, maskValue } from './mask';

/** The newest part of each log kept in the bundle: enough for support, small enough to e-mail. */
const LOG_TAIL_BYTES = 2 * 1024 * 1024;

export type DiagnosticsDeps = {
  db: Db;
  dataDir: string;
  sessions: SessionManager;
  now: () => number;
  app: { version: string; mode: string; schemaVersion: number };
  settings: () => Record<string, unknown>;
  browser: () => { path: string | null; videoSupport: string };
};

function tail(file: string): string {
  const size = fs.statSync(file).size;
  const start = Math.max(0, size - LOG_TAIL_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - start);
    fs.readSync(fd, buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    // Cut at a line: half a JSON line would be masked as plain text.
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  } catch {
    return '';
  } finally {
    fs.closeSync(fd);
  }
}

/** What the engine has done, in counts only: states of sends per kind of campaign, per number today, the queues. */
function counters(db: Db, now: number): Record<string, unknown> {
  const rows = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Record<string, unknown>[];
  const dayAgo = now - 86_400_000;
  return {
    sendsByState: rows("SELECT c.kind, s.state, COUNT(*) AS n FROM sends s JOIN campaigns c ON c.id = s.campaign_id GROUP BY c.kind, s.state"),
    sendsLast24hByNumber: rows('SELECT number_id AS numberId, state, COUNT(*) AS n FROM sends WHERE sending_at > ? GROUP BY number_id, state', dayAgo),
    failureReasonsLast24h: rows("SELECT reason, COUNT(*) AS n FROM sends WHERE state IN ('failed', 'skipped', 'in_doubt') AND updated_at > ? GROUP BY reason", dayAgo),
    campaignsByState: rows("SELECT kind, state, pause_reason AS pauseReason, COUNT(*) AS n FROM campaigns GROUP BY kind, state, pause_reason"),
    contacts: db.prepare('SELECT COUNT(*) FROM contacts').pluck().get(),
    optOuts: db.prepare('SELECT COUNT(*) FROM opt_outs').pluck().get(),
    repliesLast24h: db.prepare('SELECT COUNT(*) FROM incoming WHERE at > ?').pluck().get(dayAgo),
    imports: db.prepare('SELECT COUNT(*) FROM imports').pluck().get(),
    webhookDeliveries: rows('SELECT state, COUNT(*) AS n FROM webhook_deliveries GROUP BY state'),
    apiRequestsLast24h: rows('SELECT status, COUNT(*) AS n FROM api_log WHERE at > ? GROUP BY status', dayAgo),
  };
}

/**
 * The support bundle: app and system versions, the browser used, each number's state and WhatsApp Web version,
 * the engine's counters and the newest logs, with phones and people's words masked (mask.ts). A zip, so a user can
 * attach it to an e-mail as it is.
 */
export function diagnosticsZip(deps: DiagnosticsDeps): Buffer {
  const numbers = deps.sessions.list().map((n) => ({
    id: n.id,
    kind: n.kind,
    state: n.state,
    error: n.error,
    detail: n.detail === null ? null : maskDigits(n.detail),
    phone: n.phone === null ? null : maskDigits(n.phone),
    linkedAt: n.linkedAt,
    whatsAppWeb: deps.sessions.driver(n.id)?.webVersion?.() ?? null,
  }));
  const browser = deps.browser();
  const info = {
    createdAt: new Date(deps.now()).toISOString(),
    app: deps.app,
    system: { platform: process.platform, release: os.release(), arch: process.arch, cpus: os.cpus().length, memoryMb: Math.round(os.totalmem() / 1048576), freeMemoryMb: Math.round(os.freemem() / 1048576) },
    runtime: { node: process.versions.node, electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
    browser: { path: browser.path === null ? null : maskDigits(browser.path), videoSupport: browser.videoSupport },
    numbers,
    settings: maskValue(deps.settings()),
    counters: counters(deps.db, deps.now()),
  };
  const entries: [string, string][] = [
    ['LEEME.txt', 'Diagnóstico de WhatzMe Desktop para soporte. Los teléfonos solo muestran sus dos últimos dígitos y los textos de los mensajes y los nombres están ocultos.\nWhatzMe Desktop diagnostics for support. Phones show only their last two digits; message texts and names are hidden.\n'],
    ['info.json', `${JSON.stringify(info, null, 2)}\n`],
  ];
  const logs = path.join(deps.dataDir, 'logs');
  const files = fs.existsSync(logs) ? fs.readdirSync(logs).filter((f) => f.endsWith('.log')).sort() : [];
  for (const file of files) entries.push([`logs/${file}`, maskLog(tail(path.join(logs, file)))]);
  return zipBuffer(entries);
}
