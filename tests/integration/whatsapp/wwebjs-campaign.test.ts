import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/core/clock';
import { seededRandom } from '../../../electron/core/random';
import type { CampaignView } from '../../../shared/campaigns';
import type { NumberView } from '../../../shared/numbers';
import { settle } from '../../helpers/clock';
import { contactsCsvIn } from '../../helpers/contacts-csv';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { MONDAY_9AM } from '../../helpers/campaign-fixture';
import { tempDir } from '../../helpers/temp-dir';
import { wwebOnFakes } from '../../helpers/fake-wweb-factory';
import { FakeWhatsApp, FakeWwebClient } from '../../unit/whatsapp/fake-wweb-client';
import { pageError } from '../../helpers/page-error';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const CONTACTS = 2000;
const digits = (i: number) => `5255${String(20000000 + i * 37)}`; // as contactsCsvIn writes them, with 52
const waId = (i: number) => `521${digits(i).slice(2)}@c.us`;

/**
 * The real driver (electron/whatsapp/wwebjs.ts) on a fake whatsapp-web.js Client in today's shapes: renamed message
 * keys, sendMessage resolving undefined after the message went out, contacts moved to LIDs, random page errors
 * before and after the message went out, and browser crashes that the session manager restarts.
 */
describe('a campaign through the whatsapp-web.js driver against WhatsApp Web as served since July 2026', () => {
  it(`${CONTACTS} contacts on two numbers: exactly one message each, receipts land, a CANCELAR from a LID chat is honoured`, async () => {
    const clock = new ManualClock(MONDAY_9AM);
    const random = seededRandom(2026);
    const servers = new Map<string, FakeWhatsApp>();
    const clients: FakeWwebClient[] = [];
    const failedBefore = new Set<string>();
    const factory = wwebOnFakes(clock, async (opts, numberId) => {
      let server = servers.get(numberId);
      if (!server) servers.set(numberId, (server = new FakeWhatsApp()));
      const client = new FakeWwebClient(opts, 900_000 + clients.length, server, {
        keys: 'renamed',
        sendReturnsUndefined: true,
        acks: true,
        autoReady: { phone: numberId === [...servers.keys()][0] ? '+5215511110000' : '+5215522220000', name: 'Tacos Don Luis' },
      });
      client.everyoneOnWhatsApp = true;
      // A page error now and then: before the message went out (transient: not twice for one chat, nor two sends
      // in a row, which is how a WhatsApp Web change shows and stops the number), or after it went out
      // (whatsapp-web.js cannot tell the two apart).
      let failedLast = false;
      client.sendImpl = async (chatId, content, options) => {
        const roll = random.next();
        const typeError = roll < 0.03 && !failedLast && !failedBefore.has(chatId);
        failedLast = typeError;
        if (typeError && failedBefore.add(chatId)) throw pageError('TypeError', "Cannot read properties of undefined (reading 'serialize')");
        const body = typeof content === 'string' ? content : String(options?.caption ?? '');
        const result = client.deliver(chatId, body);
        if (roll < 0.06) throw pageError('t', 't');
        return result;
      };
      clients.push(client);
      return client;
    });
    t = await startTestApp({ clock, simSeed: 3, random: seededRandom(7), driverFactory: factory });
    const numbers = [await t.call<NumberView>('numbers.add', { kind: 'real', label: 'Tienda' }), await t.call<NumberView>('numbers.add', { kind: 'real', label: 'Sucursal' })];
    for (let i = 0; i < 50 && (await t.call<NumberView[]>('numbers.list')).some((n) => n.state !== 'connected'); i++) await settle(clock, new Promise((r) => setTimeout(r, 5)));
    expect((await t.call<NumberView[]>('numbers.list')).map((n) => n.state)).toEqual(['connected', 'connected']);
    for (const server of servers.values()) {
      // A tenth of the contacts moved to LIDs: messages to their @c.us id land in the LID chat, and they write from it.
      for (let i = 0; i < CONTACTS; i += 10) server.lids.set(waId(i).replace('@c.us', ''), `${90_000_000 + i}@lid`);
    }
    const done = await t.importFile(contactsCsvIn(tempDir(), CONTACTS), { list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
    const created = await t.call<CampaignView>('campaigns.create', {
      name: 'Buen Fin',
      templateId: null,
      body: 'Hola {{nombre}}, te saluda Luis de Tacos Don Luis: 2x1 este fin. Si no deseas más mensajes, responde BAJA',
      mediaId: null,
      includeListIds: [done.summary?.listId],
      excludeListIds: [],
      numberIds: numbers.map((n) => n.id),
      settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
    });
    const campaign = await settle(clock, t.call<CampaignView>('campaigns.launch', { id: created.id }));
    expect(campaign.total).toBe(CONTACTS);

    // Contact 1990 (a LID contact not yet reached) answers CANCELAR from their LID chat.
    const lidOptOut = `${90_000_000 + 1990}@lid`;
    let optedOut = false;
    const crashes = [300, 800, 1400];
    for (let step = 0; step < 4000; step++) {
      await clock.advance(2000);
      await new Promise((r) => setImmediate(r));
      const delivered = [...servers.values()].reduce((n, s) => n + s.delivered.length, 0);
      if (!optedOut && delivered > 100) {
        const client = clients.filter((c) => c.server.chats.size > 0).at(-1) as FakeWwebClient;
        client.server.lids.set(waId(1990).replace('@c.us', ''), lidOptOut);
        client.receive(lidOptOut, 'CANCELAR');
        optedOut = true;
      }
      if (crashes[0] !== undefined && delivered >= crashes[0]) {
        crashes.shift();
        // The browser dies under a session (a crash, not a stop of ours): the manager restarts it.
        clients.at(-1)?.pupBrowser?.emitter.emit('disconnected');
      }
      if (step % 25 === 0 && (await t.call<CampaignView>('campaigns.get', { id: created.id })).state === 'completed') break;
    }
    const view = await t.call<CampaignView>('campaigns.get', { id: created.id });
    expect(view.state).toBe('completed');
    expect(crashes).toEqual([]);

    // Counted from the fakes' own delivery record: each contact's chat got the campaign message exactly once.
    const campaignDeliveries = [...servers.values()].flatMap((s) => s.delivered).filter((d) => d.body.startsWith('Hola'));
    const perContact = new Map<string, number>();
    const phoneOfChat = (chatId: string) => {
      for (const s of servers.values()) for (const [digitsId, lid] of s.lids) if (lid === chatId) return `${digitsId}@c.us`;
      return chatId;
    };
    for (const d of campaignDeliveries) perContact.set(phoneOfChat(d.chatId), (perContact.get(phoneOfChat(d.chatId)) ?? 0) + 1);
    expect([...perContact.values()].filter((n) => n !== 1)).toEqual([]);
    expect(perContact.has(waId(1990))).toBe(false); // opted out from the LID chat before it was reached
    expect(perContact.size).toBe(CONTACTS - 1);

    const db = t.app.db;
    expect(db.prepare("SELECT state, reason FROM sends WHERE phone = '+52' || ?").get(digits(1990).slice(2))).toEqual({ state: 'skipped', reason: 'opted_out' });
    expect(db.prepare('SELECT phone FROM opt_outs').pluck().all()).toEqual([`+52${digits(1990).slice(2)}`]);
    // Receipts moved the rows on; every row names a message the fake delivered.
    const states = db.prepare('SELECT state, COUNT(*) AS n FROM sends GROUP BY state ORDER BY state').all() as { state: string; n: number }[];
    expect(states.find((s) => s.state === 'read')?.n ?? 0).toBeGreaterThan(CONTACTS * 0.9);
    expect(states.filter((s) => ['queued', 'sending', 'in_doubt', 'failed'].includes(s.state))).toEqual([]);
    const ids = new Set(campaignDeliveries.map((d) => d.id));
    const rowIds = db.prepare("SELECT message_id FROM sends WHERE state IN ('sent', 'delivered', 'read')").pluck().all() as string[];
    expect(rowIds.filter((id) => !ids.has(id))).toEqual([]);
    // LID contacts: the outbox records the chat the message really went to.
    expect(db.prepare("SELECT COUNT(*) FROM sends WHERE chat_id LIKE '%@lid'").pluck().get()).toBe(CONTACTS / 10 - 1);
  }, 180_000);
});
