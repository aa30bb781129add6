import { contactsCsvIn } from './contacts-csv';
import type { AppConfig } from '../../electron/app/create-app';
import { ManualClock } from '../../electron/core/clock';
import { seededRandom } from '../../electron/core/random';
import type { CampaignInput, CampaignView } from '../../shared/campaigns';
import type { NumberView } from '../../shared/numbers';
import { settle } from './clock';
import { startTestApp, type TestApp } from './contacts-app';
import { tempDir } from './temp-dir';

export const MONDAY_9AM = Date.parse('2026-11-30T09:00:00-06:00');

export function contactsCsv(count: number, dir = tempDir()): string {
  return contactsCsvIn(dir, count);
}

/** The app on a manual clock with `numbers` linked demo numbers and a list of `contacts` contacts. */
export async function campaignFixture(opts: { contacts: number; numbers: number; config?: Partial<AppConfig>; dataDir?: string }) {
  const clock = (opts.config?.clock as ManualClock | undefined) ?? new ManualClock(MONDAY_9AM);
  // Everything seeded from here: the engine's spacing, the number ids, and so the simulator's draws per number.
  const t: TestApp = await startTestApp({ clock, simSeed: 11, random: seededRandom(11), ...opts.config, simBehaviour: { notOnWhatsAppPercent: 0, transientFailureRate: 0, ...opts.config?.simBehaviour } }, opts.dataDir);
  const numbers: NumberView[] = [];
  for (let i = 0; i < opts.numbers; i++) numbers.push(await t.call<NumberView>('numbers.add', { kind: 'demo', label: `Demo ${i + 1}` }));
  await clock.advance(1000);
  for (const n of numbers) await t.call('numbers.simulateScan', { id: n.id });
  // The import runs in real time (its reader is a worker thread), not on the manual clock.
  // Customers who agreed to get messages (a campaign to others needs the user's confirmation: see consent tests).
  const done = await t.importFile(contactsCsv(opts.contacts), { list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
  const listId = done.summary?.listId as number;
  const input = (over: Partial<CampaignInput> = {}): CampaignInput => ({
    name: 'Promo',
    templateId: null,
    body: '{Hola|Buen día} {{nombre}}, te saluda Luis de La Espiga. Si no deseas recibir más mensajes, responde CANCELAR',
    mediaId: null,
    includeListIds: [listId],
    excludeListIds: [],
    numberIds: numbers.map((n) => n.id),
    settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
    ...over,
  });
  const launch = async (over: Partial<CampaignInput> = {}) => {
    const created = await t.call<CampaignView>('campaigns.create', input(over));
    return settle(clock, t.call<CampaignView>('campaigns.launch', { id: created.id }));
  };
  return { t, clock, numbers, listId, input, launch };
}
