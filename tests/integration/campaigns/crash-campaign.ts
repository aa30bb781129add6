import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { seededRandom } from '../../../electron/core/random';
import { SimWorld } from '../../../electron/whatsapp';
import { contactsCsvIn } from '../../helpers/contacts-csv';
import { runScript } from '../../helpers/child';
import { KILL_POINTS, type KillPoint } from './kill-points';

const CHILD = path.join(import.meta.dirname, 'crash-child.ts');

export type CrashOptions = {
  kills: number;
  contacts: number;
  seed: number;
  factor: number;
  /** `points`: each life dies at a kill point inside the send window, in turn; `random`: at a random moment. */
  mode?: 'points' | 'random';
  finalRunMs?: number;
  log?: (line: string) => void;
};

export type CrashRow = { id: number; state: string; reason: string | null; chat_id: string | null; message_id: string | null; kind: string };
/** `atPoint`: the life killed itself at its kill point (not stopped from outside because it never reached it). */
export type Life = { point: KillPoint | 'random'; killed: boolean; atPoint: boolean; delivered: number };

/** Kills the app with SIGKILL again and again while a campaign sends, then reads what everyone received. */
export async function crashCampaign(opts: CrashOptions) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-crash-'));
  try {
    return await run(dataDir, opts);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function run(dataDir: string, opts: CrashOptions) {
  const origin = Date.now();
  const csv = contactsCsvIn(dataDir, opts.contacts);
  const args = (phase: string, killAt?: string) => [phase, path.join(dataDir, 'app'), String(origin), String(opts.factor), csv, ...(killAt ? [killAt] : [])];
  for (const phase of ['setup', 'resume']) {
    const life = runScript(CHILD, args(phase));
    const code = await life.exited;
    if (code !== 0) throw new Error(`${phase} failed: ${life.output()}`);
  }
  const random = seededRandom(opts.seed);
  const record = () => SimWorld.readRecord(path.join(dataDir, 'app', 'simulator', 'deliveries.jsonl'));
  const lives: Life[] = [];
  for (let i = 0; i < opts.kills; i++) {
    const point = opts.mode === 'points' ? KILL_POINTS[i % KILL_POINTS.length]! : 'random';
    const life = runScript(CHILD, args('run', point === 'random' ? undefined : `${point}:${random.int(1, 4)}`));
    let signal: NodeJS.Signals | null = null;
    let guarded = false;
    life.child.once('exit', (_code, s) => (signal = s));
    if (point === 'random') {
      await Promise.race([life.exited, new Promise((r) => setTimeout(r, random.int(350, 1200)))]);
      if (life.child.exitCode === null) life.child.kill('SIGKILL');
    } else {
      // It kills itself at its point; a life that never reaches it (nothing left to retry) is stopped after a while.
      const guard = setTimeout(() => {
        guarded = true;
        life.child.kill('SIGKILL');
      }, 8_000);
      await life.exited;
      clearTimeout(guard);
    }
    await life.exited;
    const done = life.output().includes('DONE');
    const killed = signal === 'SIGKILL' && !done;
    lives.push({ point, killed, atPoint: killed && point !== 'random' && !guarded, delivered: record().length });
    opts.log?.(`life ${i + 1} (${point}): ${signal ?? 'exit'}, ${record().length} delivered`);
    if (done) break;
  }
  const last = runScript(CHILD, args('run'));
  // The last life sends what is left, retries waiting out their backoff included.
  const timeout = setTimeout(() => last.child.kill('SIGKILL'), opts.finalRunMs ?? 90_000);
  await last.exited;
  clearTimeout(timeout);
  const db = new Database(path.join(dataDir, 'app', 'whatzme.db'), { readonly: true });
  const rows = db.prepare("SELECT s.id, s.state, s.reason, s.chat_id, s.message_id, c.kind FROM sends s JOIN campaigns c ON c.id = s.campaign_id ORDER BY s.id").all() as CrashRow[];
  const answers = db.prepare('SELECT COUNT(*) FROM chat_answers').pluck().get() as number;
  const campaign = db.prepare('SELECT state FROM campaigns WHERE id = 1').pluck().get();
  db.close();
  const states = Object.entries(
    rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.state]: (acc[r.state] ?? 0) + 1 }), {}),
  ).map(([state, n]) => ({ state, n }));
  return { delivered: record(), rows, answers, states, campaign, lives, killedMidway: lives.filter((l) => l.killed).length, finished: last.output().includes('DONE') };
}
