import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/core/clock';
import { seededRandom } from '../../../electron/core/random';
import { TRANSITIONS, type CampaignState } from '../../../electron/campaigns';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import type { NumberView } from '../../../shared/numbers';
import { settle } from '../../helpers/clock';
import { contactsCsvIn } from '../../helpers/contacts-csv';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { MONDAY_9AM } from '../../helpers/campaign-fixture';
import { tempDir } from '../../helpers/temp-dir';

/** How many random sequences (MODEL_RUNS for a longer run). */
const RUNS = Number(process.env.MODEL_RUNS ?? 12);

/** `backedUp`: a backup was taken in this run, so a restore has one to restore. */
type Model = { campaigns: CampaignState[]; numbers: number; backedUp: boolean };
type Real = {
  t: TestApp;
  clock: ManualClock;
  dataDir: string;
  listId: number;
  numberIds: string[];
  backup: string | null;
  restart(): Promise<void>;
};

const get = (r: Real, id: number) => r.t.call<CampaignView>('campaigns.get', { id });
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? 'thrown');

/** What the app may do by itself: finish a running campaign, or pause it (a brake, a lost number). */
const SPONTANEOUS: Partial<Record<CampaignState, CampaignState[]>> = { running: ['completed', 'paused'], scheduled: ['running', 'paused'] };

/** Syncs the model with what the app did by itself, checking that each such change is one it may make. */
async function sync(m: Model, r: Real): Promise<void> {
  for (const [i, state] of m.campaigns.entries()) {
    const real = (await get(r, i + 1)).state;
    if (real === state) continue;
    expect(SPONTANEOUS[state] ?? [], `campaign ${i + 1} went ${state} → ${real} by itself`).toContain(real);
    expect(TRANSITIONS[state]).toContain(real);
    m.campaigns[i] = real;
  }
}

/** The promise above all: no contact ever got two messages, and every delivery is a row that says so. */
function noDuplicates(r: Real): void {
  const record = SimWorld.readRecord(path.join(r.dataDir, 'simulator', 'deliveries.jsonl')).filter((d) => !d.text.startsWith('Listo'));
  expect(new Set(record.map((d) => d.chatId)).size, 'a contact got two messages').toBe(record.length);
  const rows = r.t.app.db.prepare("SELECT message_id FROM sends WHERE state IN ('sent', 'delivered', 'read')").pluck().all() as string[];
  expect(new Set(rows)).toEqual(new Set(record.map((d) => d.messageId)));
}

class Create implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.campaigns.length < 4;
  async run(m: Model, r: Real) {
    const created = await r.t.call<CampaignView>('campaigns.create', {
      name: `C${m.campaigns.length + 1}`,
      templateId: null,
      body: 'Hola {{nombre}}, te saluda Ana de la tienda. Responde BAJA si no quieres más mensajes.',
      mediaId: null,
      includeListIds: [r.listId],
      excludeListIds: [],
      numberIds: r.numberIds,
      settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
    });
    m.campaigns.push('draft');
    expect(created.id).toBe(m.campaigns.length);
  }
  toString = () => 'create';
}

class Change implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly action: 'launch' | 'pause' | 'resume' | 'cancel',
    readonly index: number,
  ) {}
  private at = 0;
  check = (m: Readonly<Model>) => m.campaigns.length > 0;
  async run(m: Model, r: Real) {
    await sync(m, r);
    this.at = this.index % m.campaigns.length;
    const id = this.at + 1;
    const before = m.campaigns[this.at] as CampaignState;
    const code = await codeOf(settle(r.clock, r.t.call(`campaigns.${this.action}`, this.action === 'resume' ? { id, confirm: true } : { id })));
    const after = (await get(r, id)).state;
    const legal: Record<typeof this.action, CampaignState[]> = {
      launch: before === 'draft' ? ['running', 'completed'] : [],
      pause: before === 'running' || before === 'scheduled' ? ['paused'] : [],
      resume: before === 'paused' ? ['running', 'completed'] : [],
      cancel: TRANSITIONS[before].includes('cancelled') ? ['cancelled'] : [],
    };
    if (legal[this.action].length === 0) {
      // Refused, and nothing changed.
      expect(code, `${this.action} on ${before}`).toBe('illegal_transition');
      expect(after).toBe(before);
    } else if (code === 'ok') {
      expect(legal[this.action]).toContain(after);
    } else {
      // A legal change the app may still refuse, saying why: nobody left to message, no number left.
      expect(['nothing_to_send', 'no_numbers'], `${this.action} on ${before}`).toContain(code);
      expect(after).toBe(before);
    }
    m.campaigns[this.at] = after;
  }
  toString = () => `${this.action}(${this.at + 1})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.clock.advance(this.ms);
    await sync(m, r);
  }
  toString = () => `advance(${this.ms})`;
}

class RemoveNumber implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.numbers > 1;
  async run(m: Model, r: Real) {
    const id = r.numberIds.at(-1) as string;
    await settle(r.clock, r.t.call('numbers.remove', { id }));
    m.numbers -= 1;
    r.numberIds.pop();
    await sync(m, r);
  }
  toString = () => 'removeNumber';
}

class Backup implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const { url } = await r.t.call<{ url: string }>('backup.create');
    const reply = await fetch(`http://127.0.0.1:${r.t.server.port}${url}`, { headers: { Authorization: `Bearer ${r.t.server.token}` } });
    r.backup = path.join(tempDir(), 'respaldo.db');
    fs.writeFileSync(r.backup, Buffer.from(await reply.arrayBuffer()));
    m.backedUp = true;
  }
  toString = () => 'backup';
}

/** Restores the runs really made: at least one, or the property said nothing about restores. */
let restores = 0;

class Restore implements fc.AsyncCommand<Model, Real> {
  // Only after a backup: a restore step with nothing to restore would count as a run and test nothing.
  check = (m: Readonly<Model>) => m.backedUp;
  async run(m: Model, r: Real) {
    if (!r.backup) throw new Error('the model took a backup the app does not have');
    await sync(m, r);
    const uploadId = await r.t.upload(r.backup);
    await settle(r.clock, r.t.call('backup.restore', { uploadId, confirm: true }));
    restores += 1;
    // What already happened is not undone: every campaign keeps its live state.
    for (const [i, state] of m.campaigns.entries()) expect((await get(r, i + 1)).state, `campaign ${i + 1} after restore`).toBe(state);
  }
  toString = () => 'restore';
}

class Restart implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    await r.restart();
    await r.clock.advance(1000);
    await sync(m, r);
  }
  toString = () => 'restart';
}

const change = fc.tuple(fc.constantFrom('launch', 'pause', 'resume', 'cancel' as const), fc.integer({ min: 0, max: 3 })).map(([a, i]) => new Change(a, i));
const commandsArb = fc.commands(
  [
    fc.constant(new Create()),
    fc.constant(new Create()),
    // State changes most of all: they are what the machine is about.
    change,
    change,
    change,
    change,
    change,
    change,
    fc.integer({ min: 500, max: 20_000 }).map((ms) => new Advance(ms)),
    fc.constant(new RemoveNumber()),
    fc.constant(new Backup()),
    fc.constant(new Restore()),
    fc.constant(new Restart()),
  ],
  { maxCommands: 16, size: 'max' },
);

async function setup(): Promise<Real> {
  const dataDir = tempDir();
  const clock = new ManualClock(MONDAY_9AM);
  const config = { clock, simSeed: 4, random: seededRandom(4), simBehaviour: { replyRate: 0, notOnWhatsAppPercent: 0, transientFailureRate: 0.05 } };
  let t = await startTestApp(config, dataDir);
  const numberIds: string[] = [];
  for (const label of ['Uno', 'Dos']) numberIds.push((await t.call<NumberView>('numbers.add', { kind: 'demo', label })).id);
  await clock.advance(1000);
  for (const id of numberIds) await t.call('numbers.simulateScan', { id });
  const done = await t.importFile(contactsCsvIn(tempDir(), 12), { list: { name: 'Modelo' }, consent: { source: 'customers', agreed: true } });
  const real: Real = {
    t,
    clock,
    dataDir,
    listId: done.summary?.listId as number,
    numberIds,
    backup: null,
    async restart() {
      await t.close();
      t = await startTestApp(config, dataDir);
      real.t = t;
    },
  };
  return real;
}

describe('the campaign state machine, model-based', () => {
  it('random sequences of create/launch/pause/resume/cancel, time, an unlinked number, backup/restore and restarts keep every promise', async () => {
    await fc.assert(
      fc.asyncProperty(commandsArb, async (cmds) => {
        const real = await setup();
        try {
          await fc.asyncModelRun(() => ({ model: { campaigns: [], numbers: 2, backedUp: false }, real }), cmds);
          await real.clock.advance(30 * 60_000);
          await sync({ campaigns: [], numbers: 0, backedUp: false }, real);
          noDuplicates(real);
        } finally {
          await real.t.close();
        }
      }),
      { numRuns: RUNS, seed: 1201 },
    );
    expect(restores).toBeGreaterThan(0);
  }, 240_000);
});
