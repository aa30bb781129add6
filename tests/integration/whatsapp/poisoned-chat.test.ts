import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/core/clock';
import { seededRandom } from '../../../electron/core/random';
import type { CampaignView } from '../../../shared/campaigns';
import type { NumberView } from '../../../shared/numbers';
import { MONDAY_9AM } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import { contactsCsvIn } from '../../helpers/contacts-csv';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';
import { wwebOnFakes } from '../../helpers/fake-wweb-factory';
import { FakeWhatsApp, FakeWwebClient } from '../../unit/whatsapp/fake-wweb-client';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const digits = (i: number) => `5255${String(20000000 + i * 37)}`; // as contactsCsvIn writes them
const waId = (i: number) => `521${digits(i).slice(2)}@c.us`;

/**
 * #31: on July-2026 builds one chat's broken `lastReceivedKey` made getChats() fail whole (OpenWA 757; wwebjs
 * 201851, 201850, 201862), so the catch-up read no reply at all and a CANCELAR written overnight was missed while
 * sending went on. Now the chats are read one by one, and the one that cannot be read gets nothing until it can.
 */
describe('a catch-up over a poisoned chat', () => {
  it('reads every other chat, sends nothing to the unreadable one, and honours its overnight CANCELAR once it reads', async () => {
    const clock = new ManualClock(MONDAY_9AM);
    const server = new FakeWhatsApp();
    const poisoned = waId(4);
    // Overnight, contact 4 wrote CANCELAR; their chat's data is broken when the app starts.
    server.chats.set(poisoned, [{ id: { fromMe: false, remote: poisoned, id: '3EB0NIGHT', _serialized: `false_${poisoned}_3EB0NIGHT` }, body: 'CANCELAR', timestamp: server.now(), fromMe: false, from: poisoned, type: 'chat' }]);
    server.brokenChats.add(poisoned);
    const factory = wwebOnFakes(clock, async (opts) => {
      const client = new FakeWwebClient(opts, 700_000, server, { keys: 'renamed', acks: true, autoReady: { phone: '+5215511110000', name: 'Tacos Don Luis' } });
      client.everyoneOnWhatsApp = true;
      return client;
    });
    t = await startTestApp({ clock, simSeed: 3, random: seededRandom(7), driverFactory: factory });
    await t.call<NumberView>('numbers.add', { kind: 'real', label: 'Tienda' });
    for (let i = 0; i < 50 && (await t.call<NumberView[]>('numbers.list')).some((n) => n.state !== 'connected'); i++) await settle(clock, new Promise((r) => setTimeout(r, 5)));
    const [number] = await t.call<NumberView[]>('numbers.list');
    const done = await t.importFile(contactsCsvIn(tempDir(), 12), { list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
    const created = await t.call<CampaignView>('campaigns.create', {
      name: 'Buen Fin',
      templateId: null,
      body: 'Hola {{nombre}}, te saluda Luis de Tacos Don Luis. Si no deseas más mensajes, responde BAJA',
      mediaId: null,
      includeListIds: [done.summary?.listId],
      excludeListIds: [],
      numberIds: [number!.id],
      settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
    });
    await settle(clock, t.call('campaigns.launch', { id: created.id }));
    // The others go out; the poisoned chat's contact gets nothing while its chat cannot be read.
    for (let i = 0; i < 120 && server.delivered.length < 11; i++) await clock.advance(1000);
    expect(server.delivered.map((d) => d.chatId)).not.toContain(poisoned);
    expect(server.delivered.length).toBe(11);

    // WhatsApp Web reads the chat again: the next catch-up finds the CANCELAR, and the contact is never written to.
    server.brokenChats.clear();
    for (let i = 0; i < 300 && (await t.call<CampaignView>('campaigns.get', { id: created.id })).state !== 'completed'; i++) await clock.advance(1000);
    expect((await t.call<CampaignView>('campaigns.get', { id: created.id })).state).toBe('completed');
    expect(server.delivered.filter((d) => d.body.startsWith('Hola')).map((d) => d.chatId)).not.toContain(poisoned);
    expect(t.app.db.prepare('SELECT phone FROM opt_outs').pluck().all()).toEqual([`+52${digits(4).slice(2)}`]);
    expect(t.app.db.prepare("SELECT state, reason FROM sends WHERE phone = '+52' || ?").get(digits(4).slice(2))).toEqual({ state: 'skipped', reason: 'opted_out' });
  }, 60_000);
});
