import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignView, Progress } from '../../../shared/campaigns';
import type { NumberView } from '../../../shared/numbers';
import { VARIANTS, withLimits } from '../../../electron/whatsapp/wweb-double/variants';
import { contactsFrom, doubleRig, e164Of, until, type DoubleRig } from '../../helpers/wweb-double';

/**
 * #32: WhatsApp's own limits on messages to people who never wrote back, read from WhatsApp Web and obeyed, on the
 * real stack (WwebDriver → whatsapp-web.js → Chromium → the WhatsApp Web double, whose server refuses such messages
 * while capped or timelocked: taken, then ack −1, never delivered — waha 2185, whatsmeow 1197).
 */
let rig: DoubleRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
}, 60_000);

const PHONE = '+5215512340000';
const MINUTE = 60_000;

async function launch(r: DoubleRig, numberId: string, count: number): Promise<number> {
  const done = await r.t.importFile(contactsFrom(r.dir, 0, count), { list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
  const created = await r.t.call<CampaignView>('campaigns.create', {
    name: 'Pan de muerto',
    templateId: null,
    body: 'Hola {{nombre}}, ya tenemos pan de muerto. Si no deseas más mensajes, responde BAJA',
    mediaId: null,
    includeListIds: [done.summary!.listId],
    excludeListIds: [],
    numberIds: [numberId],
    settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
  });
  await r.t.call('campaigns.launch', { id: created.id });
  return created.id;
}

/** The campaign's messages each contact's phone received. */
function received(r: DoubleRig, count: number): number[] {
  const chats = [...Array(count).keys()].map((i) => new Set([`521${e164Of(i).slice(3)}@c.us`, r.double.lidOf(e164Of(i))]));
  const campaign = r.delivered().filter((d) => d.text.startsWith('Hola '));
  return chats.map((ids) => campaign.filter((d) => ids.has(d.chatId)).length);
}

/** The first `count` contacts write to the number before the campaign (people who wrote before: warm). */
async function warmUp(r: DoubleRig, count: number): Promise<void> {
  for (let i = 0; i < count; i++) r.double.reply(PHONE, e164Of(i), 'Hola, ¿tienen pan de muerto?');
  await until(async () => (r.t.app.db.prepare('SELECT COUNT(*) FROM incoming').pluck().get() as number) >= count || null, 60_000);
}

describe("WhatsApp's limits on new people, on the WhatsApp Web double", () => {
  it('capped: of 100 contacts the 40 who wrote before get theirs, the 60 who never did wait for the next cycle with its time, then get theirs; none goes out while capped', async () => {
    const cycleMs = 12 * MINUTE;
    rig = await doubleRig(withLimits(VARIANTS.keyRename, 'capped', { total: 100, cycleMs }), { replyRate: 0 });
    const r = rig;
    const number = await r.link(PHONE);
    const cycleEnd = r.clock.now() + cycleMs;
    await warmUp(r, 40);
    const id = await launch(r, number.id, 100);

    // The 40 warm ones go; the 60 cold ones are held with their reason and the cycle's end.
    await until(async () => received(r, 40).every((n) => n === 1) || null, 120_000);
    const held = await until(async () => {
      const p = await r.t.call<Progress>('campaigns.progress', { id });
      return p.held[0]?.count === 60 && p;
    }, 60_000);
    expect(held.held).toEqual([{ reason: 'new_chat_cap', count: 60, until: expect.any(Number) }]);
    expect(Math.abs(held.held[0]!.until - cycleEnd)).toBeLessThan(5 * MINUTE);
    expect(received(r, 100).slice(40).every((n) => n === 0)).toBe(true);
    expect(r.double.refusedFrom(PHONE)).toEqual([]);
    const [shown] = await r.t.call<NumberView[]>('numbers.list');
    expect(shown!.state).toBe('connected');

    // The cycle ends (virtual clock): the 60 get theirs, each exactly one; nothing failed, no brake.
    const done = await until(async () => {
      const c = await r.t.call<CampaignView>('campaigns.get', { id });
      return c.state === 'completed' && c;
    }, 180_000);
    expect(done.counts).toMatchObject({ failed: 0, skipped: 0, queued: 0, in_doubt: 0 });
    expect(received(r, 100)).toEqual(Array(100).fill(1));
    expect(r.double.refusedFrom(PHONE)).toEqual([]);
  }, 300_000);

  it("WhatsApp Web's capping event is heard: a warning reaches the number's view at once, with its level and count", async () => {
    rig = await doubleRig(VARIANTS.keyRename);
    const r = rig;
    const number = await r.link(PHONE);
    const heard: string[] = [];
    const off = r.t.app.sessions.onDriverEvent((id, event) => void (event === 'limits' && heard.push(id)));
    r.double.setCap(PHONE, { total: 100, used: 80, cycleMs: 7 * 24 * 60 * MINUTE });
    await until(async () => heard.length > 0 || null, 20_000);
    off();
    expect(heard[0]).toBe(number.id);
    const shown = await until(async () => (await r.t.call<NumberView[]>('numbers.list')).find((n) => n.limits?.cap?.level === 'first_warning'), 20_000);
    expect(shown.limits?.cap).toMatchObject({ total: 100, used: 80 });
  }, 120_000);

  it('a timelock that starts mid-campaign: the refused messages (ack −1) are "límite de contactos nuevos", not failures, no brake; the rest wait for its end and go once each', async () => {
    rig = await doubleRig(VARIANTS.keyRename, { replyRate: 0 });
    const r = rig;
    const number = await r.link(PHONE);
    const id = await launch(r, number.id, 60);
    await until(async () => r.delivered().length >= 5 || null, 60_000);
    // WhatsApp locks the account for 8 minutes, and WhatsApp Web learns it with the first message it refuses.
    r.double.timelock(PHONE, 8 * MINUTE, { quiet: true });
    await until(async () => {
      const p = await r.t.call<Progress>('campaigns.progress', { id });
      return p.held[0]?.reason === 'timelock' && p;
    }, 60_000);
    const campaign = await r.t.call<CampaignView>('campaigns.get', { id });
    expect(campaign.state).toBe('running');
    expect(campaign.pauseReason).toBeNull();
    expect(campaign.counts.failed).toBe(0);
    expect(r.double.refusedFrom(PHONE).length).toBeGreaterThan(0);

    const done = await until(async () => {
      const c = await r.t.call<CampaignView>('campaigns.get', { id });
      return c.state === 'completed' && c;
    }, 180_000);
    expect(done.counts).toMatchObject({ failed: 0, in_doubt: 0, queued: 0 });
    // Each contact got at most one message; those refused were not resent blindly, and are said as the limit.
    const refused = r.double.refusedFrom(PHONE).length;
    const limited = r.t.app.db.prepare("SELECT COUNT(*) FROM sends WHERE campaign_id = ? AND state = 'skipped' AND reason = 'wa_limit'").pluck().get(id) as number;
    expect(limited).toBe(refused);
    const got = received(r, 60);
    expect(got.every((n) => n <= 1)).toBe(true);
    expect(got.filter((n) => n === 0)).toHaveLength(refused);
  }, 300_000);

  it('a timelock whose messages stay at one tick forever: said as the limit\'s (not people blocking, no brake); the rest wait for its end and go once each', async () => {
    rig = await doubleRig(VARIANTS.keyRename, { replyRate: 0, deliveredAfterMs: [500, 3000] });
    const r = rig;
    const number = await r.link(PHONE);
    const id = await launch(r, number.id, 60);
    await until(async () => r.delivered().length >= 5 || null, 60_000);
    r.double.timelock(PHONE, 8 * MINUTE, { quiet: true, oneTick: true });
    await until(async () => (await r.t.call<Progress>('campaigns.progress', { id })).held[0]?.reason === 'timelock' || null, 60_000);
    const done = await until(async () => {
      const c = await r.t.call<CampaignView>('campaigns.get', { id });
      return c.state === 'completed' && c;
    }, 180_000);
    const refused = r.double.refusedFrom(PHONE).length;
    expect(refused).toBeGreaterThan(0);
    expect(done.pauseReason).toBeNull();
    expect(done.counts).toMatchObject({ failed: 0, in_doubt: 0, queued: 0 });
    // Those WhatsApp left at one tick are said as the limit's; nobody else (a late receipt clears it).
    await until(async () => (await r.t.call<Progress>('campaigns.progress', { id })).limitUndelivered === refused || null, 30_000);
    const got = received(r, 60);
    expect(got.every((n) => n <= 1)).toBe(true);
    expect(got.filter((n) => n === 0)).toHaveLength(refused);
  }, 300_000);
});
