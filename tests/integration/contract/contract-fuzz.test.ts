import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/core/clock';
import { seededRandom } from '../../../electron/core/random';
import { SimulatedDriver, SimWorld } from '../../../electron/whatsapp';
import { commands, type CommandName } from '../../../shared/contract';
import { ERROR_CODES } from '../../../shared/errors';
import { arbitraryOf, hostileInput, type JsonSchema } from '../../helpers/schema-arbitrary';
import { contactsCsvIn } from '../../helpers/contacts-csv';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { suiteTempDir } from '../../helpers/temp-dir';

/** How many inputs per command: enough to find a crash, small enough for `npm test` (FUZZ_RUNS for a longer run). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

/** The codes a command's doc line promises (`Errors: a, b.`); every command may also answer invalid_input. */
function documentedErrors(doc: string): Set<string> | null {
  const match = /Errors: (.*?)\.(?:\s|$)/.exec(doc);
  if (!match?.[1]) return null;
  const codes = new Set(['invalid_input']);
  for (const part of match[1].split(/[,;]| or /).map((s) => s.trim())) {
    // "those of contacts.preview": that command's codes too.
    const other = /^those of ([\w.]+)/.exec(part)?.[1];
    if (other && other in commands) for (const c of documentedErrors(commands[other as CommandName].doc) ?? []) codes.add(c);
    else if (part) codes.add(part.split(/\s/)[0] ?? '');
  }
  return codes;
}

let t: TestApp;
const dir = suiteTempDir();
beforeAll(async () => {
  const clock = new ManualClock(Date.parse('2026-11-30T15:00:00Z'));
  const world = new SimWorld(clock, 9, path.join(dir, 'sim', 'deliveries.jsonl'), { connectMs: 0 });
  // Real numbers run on the simulator too: a fuzzer must not start browsers.
  t = await startTestApp({ clock, random: seededRandom(1), driverFactory: ({ numberId, sessionDir }) => new SimulatedDriver(numberId, world, sessionDir) }, path.join(dir, 'app'));
  // Some rows for small random ids to hit: a linked number, a list of contacts, a draft campaign, a template.
  const number = await t.call<{ id: string }>('numbers.add', { kind: 'demo', label: 'Fuzz' });
  await clock.advance(10);
  // A set-up that fails fails the suite: a fuzz over an app with nothing in it would pass and test nothing.
  await t.call('numbers.simulateScan', { id: number.id });
  await clock.advance(10);
  const done = await t.importFile(contactsCsvIn(dir, 20), { list: { name: 'Fuzz' } });
  await t.call('templates.save', { name: 'Hola', body: 'Hola {{nombre}}, soy Ana. Responde BAJA si no quieres más.', mediaId: null });
  await t.call('campaigns.create', {
    name: 'Fuzz',
    templateId: null,
    body: 'Hola {{nombre}}',
    mediaId: null,
    includeListIds: [done.summary?.listId],
    excludeListIds: [],
    numberIds: [number.id],
    settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
  });
}, 60_000);
afterAll(() => t.close());

it('starts from a linked number, a list, a saved message and a draft campaign', async () => {
  expect((await t.call<{ state: string }[]>('numbers.list')).map((n) => n.state)).toEqual(['connected']);
  expect(await t.call('templates.list')).toHaveLength(1);
  expect(await t.call('campaigns.list')).toHaveLength(1);
  expect((await t.call<{ count: number }[]>('lists.list'))[0]?.count).toBe(20);
});

const names = Object.keys(commands) as CommandName[];

describe('the contract under fuzzing: inputs derived from every command\'s own schema, and hostile ones', () => {
  it.each(names)('%s: only documented error codes, never internal, the app stays up', async (name) => {
    const spec = commands[name];
    const schema = z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const allowed = documentedErrors(spec.doc);
    const seen = new Map<string, unknown>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: arbitraryOf(schema) }, { weight: 1, arbitrary: hostileInput }), async (input) => {
        const result = await t.app.dispatcher.dispatch(name, input);
        if (result.ok) return;
        const { code } = result.error;
        expect(ERROR_CODES as readonly string[], `${name} answered an unknown code for ${JSON.stringify(input)?.slice(0, 200)}`).toContain(code);
        expect(code, `${name} failed internally for ${JSON.stringify(input)?.slice(0, 300)}`).not.toBe('internal');
        if (allowed && !allowed.has(code)) seen.set(code, input);
      }),
      { numRuns: RUNS, seed: 20261201 + names.indexOf(name) },
    );
    expect(Object.fromEntries([...seen].map(([code, input]) => [code, JSON.stringify(input)?.slice(0, 200)])), `${name}: codes its doc line does not list`).toEqual({});
    // Still answering.
    expect(await t.app.dispatcher.dispatch('app.info', {})).toMatchObject({ ok: true });
  }, 60_000);
});
