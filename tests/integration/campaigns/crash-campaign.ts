import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { seededRandom } from '../../../electron/core/random';
import { SimWorld } from '../../../electron/whatsapp';
import { contactsCsvIn } from '../../helpers/contacts-csv';
import { runScript } from '../../helpers/child';

const CHILD = path.join(import.meta.dirname, 'crash-child.ts');

/** Kills the app with SIGKILL at random moments while a campaign sends, then reads what everyone received. */
export async function crashCampaign(opts: { kills: number; contacts: number; seed: number; factor: number; finalRunMs?: number; log?: (line: string) => void }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-crash-'));
  try {
    return await run(dataDir, opts);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function run(dataDir: string, opts: { kills: number; contacts: number; seed: number; factor: number; finalRunMs?: number; log?: (line: string) => void }) {
  const origin = Date.now();
  const csv = contactsCsvIn(dataDir, opts.contacts);
  const args = (phase: string) => [phase, path.join(dataDir, 'app'), String(origin), String(opts.factor), csv];
  for (const phase of ['setup', 'resume']) {
    const life = runScript(CHILD, args(phase));
    const code = await life.exited;
    if (code !== 0) throw new Error(`${phase} failed: ${life.output()}`);
  }
  const random = seededRandom(opts.seed);
  const record = () => SimWorld.readRecord(path.join(dataDir, 'app', 'simulator', 'deliveries.jsonl'));
  let killedMidway = 0;
  for (let i = 0; i < opts.kills; i++) {
    const life = runScript(CHILD, args('run'));
    await new Promise((r) => setTimeout(r, random.int(350, 1200)));
    const done = life.output().includes('DONE');
    life.child.kill('SIGKILL');
    await life.exited;
    if (done) break;
    killedMidway += 1;
    opts.log?.(`kill ${i + 1}: ${record().length} delivered`);
  }
  const last = runScript(CHILD, args('run'));
  // The last life sends what is left, retries waiting out their backoff included.
  const timeout = setTimeout(() => last.child.kill('SIGKILL'), opts.finalRunMs ?? 90_000);
  await last.exited;
  clearTimeout(timeout);
  const db = new Database(path.join(dataDir, 'app', 'whatzme.db'), { readonly: true });
  const states = db.prepare('SELECT state, COUNT(*) AS n FROM sends GROUP BY state').all() as { state: string; n: number }[];
  const campaign = db.prepare('SELECT state FROM campaigns WHERE id = 1').pluck().get();
  db.close();
  return { delivered: record(), states, campaign, killedMidway, finished: last.output().includes('DONE') };
}

