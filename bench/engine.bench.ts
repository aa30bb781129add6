import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from '../electron/app';
import { ManualClock } from '../electron/core/clock';
import type { CampaignView } from '../shared/campaigns';
import type { NumberView } from '../shared/numbers';
import { report } from './report';

const MONDAY = Date.parse('2026-11-30T06:00:00-06:00');

/** Engine + outbox + simulator in virtual time: cost per send, and a full 6,000-send day replayed. */
export async function benchEngine(): Promise<void> {
  await replayDay(os.tmpdir(), 'disk');
  // The same on a RAM filesystem: the engine's own cost, without the two fsyncs per send the disk charges.
  if (fs.existsSync('/dev/shm')) await replayDay('/dev/shm', 'RAM fs');
}

async function replayDay(base: string, label: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(base, 'whatzme-bench-engine-'));
  try {
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
    // 6,000 contacts straight into the database (the import has its own bench).
    const insert = app.db.prepare('INSERT INTO contacts (phone, name, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
    const list = Number(app.db.prepare("INSERT INTO lists (name, created_at) VALUES ('bench', 0)").run().lastInsertRowid);
    const member = app.db.prepare('INSERT INTO list_members (list_id, contact_id, added_at) VALUES (?, ?, 0)');
    app.db.transaction(() => {
      for (let i = 0; i < 6000; i++) member.run(list, insert.run(`+5255${String(30000000 + i)}`, `Cliente ${i}`, '{}', 0, 0).lastInsertRowid);
    })();
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
    // A day of 6,000 is past the default budget of unanswered messages (3,000 a month): the bench's number is set
    // to the most, and its contacts (written straight to the table) were never asked about consent: confirmed here.
    await call('health.setBudget', { numberId: number.id, budget: 30_000 });
    await call('campaigns.launch', { id: campaign.id, confirmNoConsent: true });
    // Polled straight from the table (a UI would get pushed progress): the bench measures the engine, not polling.
    const state = app.db.prepare('SELECT state FROM campaigns WHERE id = ?').pluck();
    const started = performance.now();
    for (let virtual = 0; state.get(campaign.id) !== 'completed' && virtual < 36 * 3_600_000; virtual += 60_000) await clock.advance(60_000);
    const ms = performance.now() - started;
    const view = await call<CampaignView>('campaigns.get', { id: campaign.id });
    const sent = view.counts.sent + view.counts.delivered + view.counts.read;
    const hours = ((view.finishedAt ?? clock.now()) - (view.startedAt ?? MONDAY)) / 3_600_000;
    report(`engine (${label}): a 6,000-send day replayed in virtual time`, ms, 'ms', '< 2,000 ms');
    report(`engine (${label}): sends completed / virtual hours`, sent, `sends / ${hours.toFixed(2)} h`);
    report(`engine (${label}): cost per send (engine + outbox + simulator)`, ms / Math.max(1, sent), 'ms', '< 0.1 ms');
    // Each send commits `sending` with synchronous=FULL before the driver runs: one flush to this disk per send.
    report(`engine (${label}): one synchronous=FULL commit`, fullCommitMs(dir), 'ms (each send pays one)');
    await app.close();
  } finally {
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
