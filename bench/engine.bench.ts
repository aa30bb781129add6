import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from '../electron/app/create-app';
import { openDatabase } from '../electron/db';
import { ManualClock } from '../electron/core/clock';
import type { CampaignView } from '../shared/campaigns';
import type { NumberView } from '../shared/numbers';
import { report } from './report';

const MONDAY = Date.parse('2026-11-30T06:00:00-06:00');

/** Engine + outbox + simulator in virtual time: cost per send, flat with history, and a full 6,000-send day replayed. */
export async function benchEngine(): Promise<void> {
  await replayDay(os.tmpdir(), 'disk');
  // The same on a RAM filesystem: the engine's own cost, without the flush per send the disk charges.
  if (fs.existsSync('/dev/shm')) await replayDay('/dev/shm', 'RAM fs');
  // A send costs the same at the millionth as at the first (#34): 2,000 sends after 1k, 100k and 1M sends of history,
  // beside the floor: a minimal outbox with the same durable steps (one full-sync commit before, one after).
  const floor = minimalOutboxMs(os.tmpdir());
  const ownFloor = sameStepsOnOwnTableMs(os.tmpdir());
  for (const history of [1_000, 100_000, 1_000_000]) {
    const ms = await costWithHistory(os.tmpdir(), history);
    report(`engine (disk): cost per send after ${history.toLocaleString('en')} sends`, ms, 'ms', `≤ 0.4 ms; floors: minimal outbox ${floor.toFixed(2)} ms, its steps on the app's own table ${ownFloor.toFixed(2)} ms`);
  }
}

type Bench = {
  app: Awaited<ReturnType<typeof createApp>>;
  clock: ManualClock;
  call: <T>(name: string, input: unknown) => Promise<T>;
  number: NumberView;
  /** Contacts ids, in order. */
  contacts: number[];
};

/** An app on a fresh data folder with a connected demo number and `count` contacts written straight to the table. */
async function open(dir: string, count: number): Promise<Bench> {
  const clock = new ManualClock(MONDAY);
  const app = await createApp({ dataDir: dir, version: 'bench', mode: 'web', clock, simSeed: 3, simBehaviour: { notOnWhatsAppPercent: 0, transientFailureRate: 0, replyRate: 0, banAbovePerMinute: 1000 } });
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await app.dispatcher.dispatch(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
  const number = await call<NumberView>('numbers.add', { kind: 'demo' });
  await clock.advance(1000);
  await call('numbers.simulateScan', { id: number.id });
  const insert = app.db.prepare('INSERT INTO contacts (phone, name, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const contacts = app.db.transaction(() => Array.from({ length: count }, (_, i) => Number(insert.run(`+5255${String(30000000 + i)}`, `Cliente ${i}`, '{}', 0, 0).lastInsertRowid)))();
  // A day of 6,000 is past the default budget of unanswered messages (3,000 a month): the bench's number is set
  // to the most.
  await call('health.setBudget', { numberId: number.id, budget: 30_000 });
  return { app, clock, call, number, contacts };
}

/** Launches a campaign to `contacts` and replays it to its end: wall-clock ms and what it sent. */
async function run(b: Bench, contacts: number[]): Promise<{ ms: number; sent: number; perSend: number; hours: number }> {
  const { app, clock, call, number } = b;
  const list = Number(app.db.prepare("INSERT INTO lists (name, created_at) VALUES ('bench', 0)").run().lastInsertRowid);
  const member = app.db.prepare('INSERT INTO list_members (list_id, contact_id, added_at) VALUES (?, ?, 0)');
  app.db.transaction(() => contacts.forEach((id) => member.run(list, id)))();
  const campaign = await call<CampaignView>('campaigns.create', {
    name: 'bench',
    templateId: null,
    body: '{Hola|Buen día} {{nombre}}, te saluda Luis. Responde BAJA si no quieres más mensajes',
    mediaId: null,
    includeListIds: [list],
    excludeListIds: [],
    numberIds: [number.id],
    settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
  });
  // Contacts written straight to the table were never asked about consent: confirmed here.
  await call('campaigns.launch', { id: campaign.id, confirmNoConsent: true });
  // Polled straight from the table (a UI would get pushed progress): the bench measures the engine, not polling.
  const state = app.db.prepare('SELECT state FROM campaigns WHERE id = ?').pluck();
  const done = app.db.prepare("SELECT COUNT(*) FROM sends WHERE campaign_id = ? AND state IN ('sent', 'delivered', 'read')").pluck();
  const started = performance.now();
  // The steady cost is timed from the first tenth on: the lane's start reads the number's month and day once.
  let steady: { at: number; sent: number } | undefined;
  for (let virtual = 0; state.get(campaign.id) !== 'completed' && virtual < 36 * 3_600_000; virtual += 60_000) {
    await clock.advance(60_000);
    if (!steady) {
      const sent = done.get(campaign.id) as number;
      if (sent >= contacts.length / 10) steady = { at: performance.now(), sent };
    }
  }
  const ms = performance.now() - started;
  const view = await call<CampaignView>('campaigns.get', { id: campaign.id });
  const sent = view.counts.sent + view.counts.delivered + view.counts.read;
  const perSend = steady ? (performance.now() - steady.at) / Math.max(1, sent - steady.sent) : ms / Math.max(1, sent);
  return { ms, sent, perSend, hours: ((view.finishedAt ?? clock.now()) - (view.startedAt ?? MONDAY)) / 3_600_000 };
}

async function replayDay(base: string, label: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(base, 'whatzme-bench-engine-'));
  try {
    const b = await open(dir, 6000);
    const { ms, sent, hours, perSend } = await run(b, b.contacts);
    report(`engine (${label}): a 6,000-send day replayed in virtual time`, ms, 'ms', '< 2,000 ms');
    report(`engine (${label}): sends completed / virtual hours`, sent, `sends / ${hours.toFixed(2)} h`);
    report(`engine (${label}): cost per send (engine + outbox + simulator)`, perSend, 'ms', '≤ 0.4 ms');
    // Each send commits `sending` with synchronous=FULL before the driver runs: one flush to this disk per send.
    report(`engine (${label}): one synchronous=FULL commit`, fullCommitMs(dir), 'ms (each send pays one)');
    await b.app.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const DAY = 86_400_000;

/**
 * `history` sends of earlier campaigns from the same number to the same 6,000 people over the year before (each
 * campaign one send per person, most delivered or read; customers: nine in ten have written to the number, so its
 * month is within the budget), then a campaign of 2,000 replayed: its steady wall-clock cost per send.
 */
export async function costWithHistory(base: string, history: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(base, 'whatzme-bench-history-'));
  try {
    const b = await open(dir, 6000);
    const { app, number, contacts } = b;
    const campaign = app.db.prepare("INSERT INTO campaigns (name, state, body, seed, settings, created_at, updated_at, started_at, finished_at) VALUES ('old', 'completed', 'Hola', 1, '{}', ?, ?, ?, ?)");
    const link = app.db.prepare('INSERT INTO campaign_numbers (campaign_id, number_id) VALUES (?, ?)');
    const send = app.db.prepare(
      `INSERT INTO sends (campaign_id, contact_id, phone, name, number_id, text, state, chat_id, message_id, attempts, sending_at, sent_at, delivered_at, read_at, updated_at)
       VALUES (?, ?, ?, 'x', ?, 'Hola', ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
    );
    const wrote = app.db.prepare("INSERT INTO incoming (number_id, chat_id, phone, message_id, body, type, at) VALUES (?, ?, ?, ?, 'Gracias', 'chat', ?)");
    const phones = app.db.prepare('SELECT id, phone FROM contacts ORDER BY id').all() as { id: number; phone: string }[];
    const span = 365 * DAY;
    const first = MONDAY - 2 * DAY - span;
    app.db.transaction(() => {
      const campaigns = Math.ceil(history / phones.length);
      for (let c = 0, n = 0; c < campaigns; c++) {
        const at0 = first + Math.floor((span * c) / campaigns);
        const id = Number(campaign.run(at0, at0, at0, at0 + DAY / 4).lastInsertRowid);
        link.run(id, number.id);
        for (let i = 0; i < phones.length && n < history; i++, n++) {
          const { id: contact, phone } = phones[i]!;
          const at = at0 + i * 1500;
          const state = n % 10 < 6 ? 'read' : n % 10 < 9 ? 'delivered' : 'sent';
          send.run(id, contact, phone, number.id, state, `${phone.slice(1)}@c.us`, `old_${n}`, at, at + 500, state === 'sent' ? null : at + 2000, state === 'read' ? at + 60_000 : null, at + 60_000);
        }
      }
      for (let i = 0; i < phones.length; i++) if (i % 10 !== 0) wrote.run(number.id, `${phones[i]!.phone.slice(1)}@c.us`, phones[i]!.phone, `in_${i}`, first + i * 1000);
    })();
    app.db.pragma('optimize');
    const { perSend } = await run(b, contacts.slice(0, 2000));
    await app.close();
    return perSend;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A second floor: the same four commits a send makes (sending with a full sync, sent, delivered, read) and nothing
 * else, on the app's own `sends` table with its indexes (migrated as the app migrates it): what the outbox's rows and
 * indexes cost on this disk before any engine work.
 */
function sameStepsOnOwnTableMs(base: string): number {
  const dir = fs.mkdtempSync(path.join(base, 'whatzme-bench-own-floor-'));
  const db = openDatabase(path.join(dir, 'whatzme.db'));
  try {
    const sends = 2000;
    db.prepare("INSERT INTO campaigns (id, name, state, body, seed, settings, created_at, updated_at) VALUES (1, 'floor', 'running', 'Hola', 1, '{}', 0, 0)").run();
    const add = db.prepare("INSERT INTO sends (campaign_id, contact_id, phone, name, text, state, updated_at) VALUES (1, ?, ?, 'Cliente', 'Hola cliente, te saluda Luis', 'queued', 0)");
    db.transaction(() => {
      for (let i = 0; i < sends; i++) add.run(i, `+52${5500000000 + ((i * 7919) % 99_999_999)}`);
    })();
    const next = db.prepare("SELECT id FROM sends WHERE campaign_id = 1 AND state = 'queued' ORDER BY id LIMIT 1").pluck();
    const sending = db.prepare("UPDATE sends SET state = 'sending', number_id = 'n1', chat_id = 'c', sending_at = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?");
    const sent = db.prepare("UPDATE sends SET state = 'sent', message_id = ?, sent_at = ?, updated_at = ? WHERE id = ?");
    const ack = db.prepare('UPDATE sends SET state = ?, delivered_at = COALESCE(delivered_at, ?), read_at = ?, updated_at = ? WHERE message_id = ?');
    const full = db.prepare('PRAGMA synchronous = FULL');
    const normal = db.prepare('PRAGMA synchronous = NORMAL');
    const started = performance.now();
    for (let i = 0; i < sends; i++) {
      const id = next.get() as number;
      const at = MONDAY + i * 1000;
      full.run();
      sending.run(at, at, id);
      normal.run();
      sent.run(`m${i}`, at + 100, at, id);
      ack.run('delivered', at + 200, null, at, `m${i}`);
      ack.run('read', at + 200, at + 300, at, `m${i}`);
    }
    return (performance.now() - started) / sends;
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor: the same durable steps with nothing else — pick the next queued row, commit it `sending` with a full
 * sync, then `sent` — on the same disk, in ms per send.
 */
function minimalOutboxMs(base: string): number {
  const dir = fs.mkdtempSync(path.join(base, 'whatzme-bench-floor-'));
  const db = new Database(path.join(dir, 'floor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec("CREATE TABLE sends (id INTEGER PRIMARY KEY, state TEXT NOT NULL, sending_at INTEGER, sent_at INTEGER, message_id TEXT); CREATE INDEX sends_state ON sends (state, id)");
    const add = db.prepare("INSERT INTO sends (state) VALUES ('queued')");
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) add.run();
    })();
    const next = db.prepare("SELECT id FROM sends WHERE state = 'queued' ORDER BY id LIMIT 1").pluck();
    const sending = db.prepare("UPDATE sends SET state = 'sending', sending_at = ? WHERE id = ?");
    const sent = db.prepare("UPDATE sends SET state = 'sent', sent_at = ?, message_id = ? WHERE id = ?");
    const full = db.prepare('PRAGMA synchronous = FULL');
    const normal = db.prepare('PRAGMA synchronous = NORMAL');
    const started = performance.now();
    for (let i = 0; i < 2000; i++) {
      const id = next.get() as number;
      full.run();
      sending.run(i, id);
      normal.run();
      sent.run(i, `m${i}`, id);
    }
    return (performance.now() - started) / 2000;
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What one synchronous=FULL commit costs on the filesystem under `dir`: the disk's share of every send. */
function fullCommitMs(dir: string): number {
  const db = new Database(path.join(dir, 'fsync-probe.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, at INTEGER)');
    const write = db.prepare('INSERT INTO probe (at) VALUES (?)');
    const started = performance.now();
    for (let i = 0; i < 500; i++) write.run(i);
    return (performance.now() - started) / 500;
  } finally {
    db.close();
  }
}
