import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import type { Segment, SegmentCount, SegmentRules, Tag } from '../../../shared/segments';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const phoneOf = (i: number) => `+5255${String(20000000 + i * 37)}`; // as contactsCsvIn writes contact i
const DAY = 86_400_000;

/** A list of contacts with a Ciudad each, written as people type them (spaces, capitals). */
async function cities(f: Awaited<ReturnType<typeof campaignFixture>>, rows: [number, string][]): Promise<number> {
  const file = path.join(tempDir(), 'ciudades.csv');
  fs.writeFileSync(file, ['Nombre,Telefono,Ciudad', ...rows.map(([i, city]) => `Cliente ${i},${phoneOf(i).slice(3)},"${city}"`)].join('\n'));
  const done = await f.t.importFile(file, { list: { name: `Ciudades ${rows[0]?.[0]}` }, consent: { source: 'customers', agreed: true } });
  return done.summary?.listId as number;
}

const idOf = (app: TestApp, i: number) => app.app.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phoneOf(i)) as number;
const count = (app: TestApp, rules: SegmentRules) => app.call<SegmentCount>('segments.count', rules);

describe('tags', () => {
  it('are made once whatever their capitals, put on and taken off contacts, shown on the contact, set from a conversation\'s label, and refuse a rename onto another', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1 });
    t = f.t;
    const vip = await t.call<Tag>('tags.create', { name: 'VIP' });
    expect(await t.call<Tag>('tags.create', { name: ' vip ' })).toMatchObject({ id: vip.id, name: 'VIP' });
    const ids = [0, 1, 2].map((i) => idOf(f.t, i));
    expect(await t.call('tags.addContacts', { tagId: vip.id, contactIds: ids })).toEqual({ changed: 3 });
    expect(await t.call('tags.addContacts', { tagId: vip.id, contactIds: ids })).toEqual({ changed: 0 }); // a repeated click
    expect(await t.call('tags.removeContacts', { tagId: vip.id, contactIds: [ids[2] as number] })).toEqual({ changed: 1 });
    expect((await t.call<{ tags: { name: string }[] }>('contacts.get', { id: ids[0] })).tags.map((x) => x.name)).toEqual(['VIP']);
    expect((await t.call<Tag[]>('tags.list', {})).find((x) => x.id === vip.id)?.count).toBe(2);
    // The contacts table filters by it.
    expect((await t.call<{ total: number }>('contacts.query', { tagId: vip.id, offset: 0, limit: 50 })).total).toBe(2);

    // A conversation's label is a tag on its contact too.
    await settle(f.clock, t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone: phoneOf(3), body: '¿Tienen pan de muerto?' }));
    await t.call('conversations.update', { phone: phoneOf(3), label: 'Pedido', note: null });
    expect((await t.call<{ tags: { name: string }[] }>('contacts.get', { id: idOf(t, 3) })).tags.map((x) => x.name)).toEqual(['Pedido']);
    expect(t.app.db.prepare("SELECT source FROM contact_tags WHERE contact_id = ?").pluck().get(idOf(t, 3))).toBe('conversation');

    const other = await t.call<Tag>('tags.create', { name: 'Mayoreo' });
    await expect(t.call('tags.rename', { id: other.id, name: 'vip' })).rejects.toMatchObject({ code: 'tag_exists' });
    await t.call('tags.delete', { id: vip.id });
    expect((await t.call<{ tags: unknown[] }>('contacts.get', { id: ids[0] })).tags).toEqual([]);
  });
});

describe('tags by import', () => {
  it('a column of tags ("VIP; Mayoreo") becomes tags on each contact, made once whatever their capitals, with the import as their source', async () => {
    const f = await campaignFixture({ contacts: 1, numbers: 1 });
    t = f.t;
    const file = path.join(tempDir(), 'con-etiquetas.csv');
    fs.writeFileSync(file, ['Nombre,Telefono,Etiquetas', `Ana,${phoneOf(20).slice(3)},"VIP, Mayoreo"`, `Beto,${phoneOf(21).slice(3)},vip`, `Carla,${phoneOf(22).slice(3)},`, `Dani,${phoneOf(23).slice(3)},Mayoreo; Expo 2026 |VIP`].join('\n'));
    const done = await t.importFile(file, { list: { name: 'Con etiquetas' }, fieldColumns: [], tagColumn: 2, consent: { source: 'customers', agreed: true } });
    expect(done.summary?.imported).toBe(4);
    const tags = await t.call<Tag[]>('tags.list', {});
    expect(tags.map((x) => [x.name, x.count]).sort()).toEqual([['Expo 2026', 1], ['Mayoreo', 2], ['VIP', 3]]);
    expect((await t.call<{ tags: { name: string }[] }>('contacts.get', { id: idOf(t, 23) })).tags.map((x) => x.name)).toEqual(['Expo 2026', 'Mayoreo', 'VIP']);
    expect(t.app.db.prepare('SELECT DISTINCT source FROM contact_tags').pluck().all()).toEqual(['import']);
    // The same file again tags no one twice.
    await t.importFile(file, { list: { name: 'Otra vez' }, fieldColumns: [], tagColumn: 2, consent: { source: 'customers', agreed: true } });
    expect((await t.call<Tag[]>('tags.list', {})).find((x) => x.name === 'VIP')?.count).toBe(3);
    await expect(t.importFile(file, { list: { name: 'Mal' }, tagColumn: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('segments', () => {
  it('count fields as people wrote them, tags, lists and consent, with all or any of the rules, and list the first few', async () => {
    const f = await campaignFixture({ contacts: 3, numbers: 1 });
    t = f.t;
    const list = await cities(f, [
      [10, 'Monterrey'],
      [11, ' monterrey '],
      [12, 'CDMX'],
      [13, ''],
      [14, 'San Pedro, Monterrey'],
    ]);
    const vip = await t.call<Tag>('tags.create', { name: 'VIP' });
    await t.call('tags.addContacts', { tagId: vip.id, contactIds: [idOf(t, 10), idOf(t, 12)] });

    const mty = await count(t, { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'MONTERREY' }] });
    expect(mty).toMatchObject({ total: 2, optedOut: 0 });
    expect(mty.sample.map((c) => c.phone).sort()).toEqual([phoneOf(10), phoneOf(11)].sort());
    expect((await count(t, { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'contains', value: 'monterrey' }] })).total).toBe(3);
    expect((await count(t, { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'empty' }] })).total).toBe(1);
    expect((await count(t, { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is_not', value: 'cdmx' }] })).total).toBe(4);
    // A field no contact has: everyone's is empty.
    expect((await count(t, { match: 'all', rules: [{ kind: 'field', field: 'Colonia', op: 'empty' }] })).total).toBe(8);
    expect((await count(t, { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'Monterrey' }, { kind: 'tag', tagId: vip.id, has: true }] })).total).toBe(1);
    expect((await count(t, { match: 'any', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'Monterrey' }, { kind: 'tag', tagId: vip.id, has: true }] })).total).toBe(3);
    expect((await count(t, { match: 'all', rules: [{ kind: 'list', listId: list, member: true }, { kind: 'tag', tagId: vip.id, has: false }] })).total).toBe(3);
    expect((await count(t, { match: 'all', rules: [{ kind: 'consent', value: 'yes' }] })).total).toBe(8);
    expect((await count(t, { match: 'all', rules: [{ kind: 'consent', value: 'unknown' }] })).total).toBe(0);

    // An opted-out contact is in the segment, and said apart: a campaign never writes to them.
    await t.call('contacts.optOut', { id: idOf(t, 11) });
    expect(await count(t, { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'monterrey' }] })).toMatchObject({ total: 2, optedOut: 1 });

    // Bad rules are refused before anything is saved: a value missing, a tag that is gone.
    await expect(count(t, { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: ' ' }] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(t.call('segments.save', { name: 'Fantasma', match: 'all', rules: [{ kind: 'tag', tagId: 999, has: true }] })).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.call('segments.list', {})).toEqual([]);
  });

  it('are saved once (the same save again answers it), refuse a second of the same name, and filter the contacts table', async () => {
    const f = await campaignFixture({ contacts: 3, numbers: 1 });
    t = f.t;
    await cities(f, [
      [10, 'Monterrey'],
      [11, 'CDMX'],
    ]);
    const input = { name: 'Regios', match: 'all' as const, rules: [{ kind: 'field' as const, field: 'Ciudad', op: 'is' as const, value: 'Monterrey' }] };
    const saved = await t.call<Segment>('segments.save', input);
    expect(await t.call<Segment>('segments.save', input)).toMatchObject({ id: saved.id });
    await expect(t.call('segments.save', { ...input, rules: [{ kind: 'never_wrote' }] })).rejects.toMatchObject({ code: 'segment_exists' });
    const page = await t.call<{ total: number; rows: { phone: string }[] }>('contacts.query', { segmentId: saved.id, offset: 0, limit: 50 });
    expect(page).toMatchObject({ total: 1, rows: [{ phone: phoneOf(10) }] });
    const renamed = await t.call<Segment>('segments.save', { ...input, id: saved.id, name: 'Clientes de Monterrey' });
    expect(renamed).toMatchObject({ id: saved.id, name: 'Clientes de Monterrey' });
    await t.call('segments.delete', { id: saved.id });
    await expect(t.call('contacts.query', { segmentId: saved.id, offset: 0, limit: 50 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('judge engagement from what was sent and received: replied to a campaign, read and did not reply, never wrote, no message in N days, added lately', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1, config: { simBehaviour: { readRate: 0.6, replyRate: 0.3, optOutShare: 0, doubtShare: 0 } } });
    t = f.t;
    const expo = await f.launch({ name: 'Expo' });
    for (let i = 0; i < 30 && (await t.call<CampaignView>('campaigns.get', { id: expo.id })).state === 'running'; i++) await f.clock.advance(60_000);
    await f.clock.advance(3_600_000); // every read and reply has come
    await t.call('campaigns.get', { id: expo.id }); // and is written (receipts are written in bursts; a read flushes them)
    const db = t.app.db;
    const replied = new Set(db.prepare('SELECT DISTINCT phone FROM incoming WHERE campaign_id = ? AND opt_out = 0').pluck().all(expo.id) as string[]);
    const read = new Set(db.prepare('SELECT phone FROM sends WHERE campaign_id = ? AND read_at IS NOT NULL').pluck().all(expo.id) as string[]);
    expect(replied.size).toBeGreaterThan(2);
    expect(read.size).toBeGreaterThan(replied.size);

    const phones = async (rules: SegmentRules) => {
      const segment = await t!.call<Segment>('segments.save', { name: `s${Math.random()}`, ...rules });
      const page = await t!.call<{ rows: { phone: string }[] }>('contacts.query', { segmentId: segment.id, offset: 0, limit: 500 });
      return new Set(page.rows.map((r) => r.phone));
    };
    expect(await phones({ match: 'all', rules: [{ kind: 'replied', campaignId: expo.id, withinDays: null }] })).toEqual(replied);
    expect(await phones({ match: 'all', rules: [{ kind: 'never_wrote' }] })).toEqual(new Set(Array.from({ length: 40 }, (_, i) => phoneOf(i)).filter((p) => !replied.has(p))));
    // "Leyó y no respondió en 7 días": nobody yet (read an hour ago); a week later, the readers who never wrote.
    expect((await phones({ match: 'all', rules: [{ kind: 'read_no_reply', campaignId: expo.id, days: 7 }] })).size).toBe(0);
    await f.clock.advance(8 * DAY);
    expect(await phones({ match: 'all', rules: [{ kind: 'read_no_reply', campaignId: null, days: 7 }] })).toEqual(new Set([...read].filter((p) => !replied.has(p))));
    // Replied within the last 7 days: nobody, it was 8 days ago.
    expect((await phones({ match: 'all', rules: [{ kind: 'replied', campaignId: null, withinDays: 7 }] })).size).toBe(0);
    expect((await phones({ match: 'all', rules: [{ kind: 'not_messaged', days: 7 }] })).size).toBe(40);
    expect((await phones({ match: 'all', rules: [{ kind: 'not_messaged', days: 30 }] })).size).toBe(0);
    await cities(f, [[90, 'León']]);
    expect(await phones({ match: 'all', rules: [{ kind: 'added', withinDays: 1 }] })).toEqual(new Set([phoneOf(90)]));
  });
});

describe('a campaign to a segment', () => {
  it('takes its audience at launch (the rules as they are then, copied into the campaign), never who joins later, and its view keeps those rules after the segment changes', async () => {
    const f = await campaignFixture({ contacts: 2, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await cities(f, [
      [10, 'Monterrey'],
      [11, 'Monterrey'],
      [12, 'CDMX'],
    ]);
    const segment = await t.call<Segment>('segments.save', { name: 'Regios', match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'CDMX' }] });
    // A campaign needs a list or a segment.
    await expect(t.call('campaigns.create', f.input({ includeListIds: [] }))).rejects.toMatchObject({ code: 'invalid_input' });
    const draft = await t.call<CampaignView>('campaigns.create', f.input({ name: 'Regios', includeListIds: [], segmentIds: [segment.id] }));
    expect(draft.segments).toEqual([{ id: segment.id, name: 'Regios', match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'CDMX' }] }]);
    // Changed before the launch: the launch takes the rules as they are then.
    const rules = [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'Monterrey' }];
    await t.call('segments.save', { id: segment.id, name: 'Regios', match: 'all', rules });
    expect(await t.call('campaigns.estimate', f.input({ includeListIds: [], segmentIds: [segment.id] }))).toMatchObject({ contacts: 2, toSend: 2 });
    const before = SimWorld.readRecord(path.join(t.dataDir, 'simulator', 'deliveries.jsonl')).length;
    await settle(f.clock, t.call('campaigns.launch', { id: draft.id }));
    // Someone who joins the segment after the launch is not written to by it.
    await cities(f, [[13, 'Monterrey']]);
    await t.call('segments.save', { id: segment.id, name: 'Regios', match: 'any', rules: [...rules, { kind: 'never_wrote' }] });
    for (let i = 0; i < 10 && (await t.call<CampaignView>('campaigns.get', { id: draft.id })).state === 'running'; i++) await f.clock.advance(60_000);
    const done = await t.call<CampaignView>('campaigns.get', { id: draft.id });
    expect(done).toMatchObject({ state: 'completed', total: 2, segments: [{ id: segment.id, match: 'all', rules }] });
    const world = t.app.world;
    const sent = SimWorld.readRecord(path.join(t.dataDir, 'simulator', 'deliveries.jsonl')).slice(before).map((d) => d.chatId);
    expect(sent.sort()).toEqual([phoneOf(10), phoneOf(11)].map((p) => world.chatIdFor(p)).sort());
    // Deleting the segment leaves the campaign's copy.
    await t.call('segments.delete', { id: segment.id });
    expect((await t.call<CampaignView>('campaigns.get', { id: draft.id })).segments).toHaveLength(1);
  });
});

describe('automatic tags', () => {
  it('tag who replied to and who read a campaign by its name, who opted out, and who opted back in instead', async () => {
    const f = await campaignFixture({ contacts: 30, numbers: 1, config: { simBehaviour: { readRate: 0.6, replyRate: 0.3, optOutShare: 0, doubtShare: 0 } } });
    t = f.t;
    const expo = await f.launch({ name: 'Expo' });
    for (let i = 0; i < 30 && (await t.call<CampaignView>('campaigns.get', { id: expo.id })).state === 'running'; i++) await f.clock.advance(60_000);
    await f.clock.advance(3_600_000);
    await t.call('campaigns.get', { id: expo.id }); // receipts are written in bursts: a read flushes them
    const db = t.app.db;
    const tagged = (name: string) =>
      new Set(db.prepare('SELECT c.phone FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id JOIN contacts c ON c.id = ct.contact_id WHERE t.name = ?').pluck().all(name) as string[]);
    const replied = new Set(db.prepare('SELECT DISTINCT phone FROM incoming WHERE campaign_id = ? AND opt_out = 0').pluck().all(expo.id) as string[]);
    const read = new Set(db.prepare('SELECT phone FROM sends WHERE campaign_id = ? AND read_at IS NOT NULL').pluck().all(expo.id) as string[]);
    expect(replied.size).toBeGreaterThan(0);
    expect(tagged('Respondió · Expo')).toEqual(replied);
    expect(tagged('Leyó · Expo')).toEqual(read);

    const someone = idOf(t, 0);
    await t.call('contacts.optOut', { id: someone });
    expect(tagged('Dio de baja')).toEqual(new Set([phoneOf(0)]));
    await t.call('contacts.undoOptOut', { id: someone, confirm: true });
    expect(tagged('Dio de baja').size).toBe(0);
    expect(tagged('Volvió a aceptar')).toEqual(new Set([phoneOf(0)]));
    const auto = (await t.call<Tag[]>('tags.list', {})).filter((x) => x.auto !== null).map((x) => x.auto).sort();
    expect(auto).toEqual(['opted_in', 'opted_out', 'read', 'replied']);
  });
});
