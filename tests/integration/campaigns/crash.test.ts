import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../electron/core/random';
import { SimWorld } from '../../../electron/whatsapp';
import { contactsCsv } from '../../helpers/campaign-fixture';
import { runScript } from '../../helpers/child';
import { tempDir } from '../../helpers/temp-dir';

const CHILD = path.join(import.meta.dirname, 'crash-child.ts');
const CONTACTS = 300;
const KILLS = 30;

/** Kills the app with SIGKILL at random moments while a campaign sends, then checks nobody got two messages. */
export async function crashCampaign(opts: { kills: number; contacts: number; seed: number; factor: number; log?: (line: string) => void }) {
  const dataDir = tempDir();
  const origin = Date.now();
  const args = (phase: string) => [phase, dataDir, String(origin), String(opts.factor), contactsCsv(opts.contacts)];
  for (const phase of ['setup', 'resume']) {
    const life = runScript(CHILD, args(phase));
    const code = await life.exited;
    if (code !== 0) throw new Error(`${phase} failed: ${life.output()}`);
  }
  const random = seededRandom(opts.seed);
  const record = () => SimWorld.readRecord(path.join(dataDir, 'simulator', 'deliveries.jsonl'));
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
  const timeout = setTimeout(() => last.child.kill('SIGKILL'), 90_000);
  await last.exited;
  clearTimeout(timeout);
  const db = new Database(path.join(dataDir, 'whatzme.db'), { readonly: true });
  const states = db.prepare('SELECT state, COUNT(*) AS n FROM sends GROUP BY state').all() as { state: string; n: number }[];
  const campaign = db.prepare('SELECT state FROM campaigns WHERE id = 1').pluck().get();
  db.close();
  return { delivered: record(), states, campaign, killedMidway, finished: last.output().includes('DONE') };
}

describe('crash safety', () => {
  it(`a campaign of ${CONTACTS} contacts killed ${KILLS} times with SIGKILL: everyone gets exactly one message`, async () => {
    const result = await crashCampaign({ kills: KILLS, contacts: CONTACTS, seed: 42, factor: 20 });
    expect(result.finished).toBe(true);
    expect(result.killedMidway).toBeGreaterThanOrEqual(20);
    const perChat = new Map<string, number>();
    for (const d of result.delivered) perChat.set(d.chatId, (perChat.get(d.chatId) ?? 0) + 1);
    const twice = [...perChat.entries()].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    expect(perChat.size).toBe(CONTACTS);
    expect(result.campaign).toBe('completed');
    // Every row final: nothing queued or in flight, nothing in doubt.
    expect(result.states.filter((s) => ['queued', 'sending', 'in_doubt'].includes(s.state))).toEqual([]);
    expect(result.states.reduce((sum, s) => sum + s.n, 0)).toBe(CONTACTS);
  }, 240_000);
});
