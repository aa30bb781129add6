import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/temp-dir';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatedDriver } from '../../../electron/whatsapp';
import type { Answer, Chat, Conversation } from '../../../shared/conversations';
import type { Dashboard } from '../../../shared/inbox';
import type { Settings } from '../../../shared/types';
import type { Template } from '../../../shared/messages';
import { DEFAULT_AUTO_REPLIES } from '../../../shared/auto-replies';
import { numberCounts } from '../../../electron/health/health';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type List = { total: number; rows: Conversation[]; labels: string[] };

/** Conversations (#33): the inbox as one chat per person, answers through the outbox, auto-replies. */
describe('conversations', () => {
  it('lists people who wrote, shows their whole history in order, and answers them once from the number they wrote to', async () => {
    const f = await campaignFixture({ contacts: 6, numbers: 2, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.launch();
    await f.clock.advance(120_000);
    const [first, second] = [f.numbers[0]!, f.numbers[1]!];
    // Two people write back; one of them twice.
    const ana = '+525520000000';
    const beto = '+525520000001';
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: first.id, phone: ana, body: '¿Cuál es el precio?' }));
    await f.clock.advance(1000);
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: second.id, phone: beto, body: 'Hola, ¿tienen talla M?' }));
    await f.clock.advance(1000);
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: first.id, phone: ana, body: 'Y el envío?', media: 'image' }));
    await f.clock.advance(1000);

    const list = await f.t.call<List>('conversations.list', {});
    expect(list.rows.map((c) => [c.phone, c.unread, c.waiting, c.numberId])).toEqual([
      [ana, 2, true, first.id],
      [beto, 1, true, second.id],
    ]);
    expect(list.rows[0]).toMatchObject({ name: 'Cliente 0', campaignName: 'Promo', preview: 'Y el envío?', previewType: 'image', previewOut: false });

    // Opening the chat: the campaign message, then both replies (the photo stored in the data folder), in order.
    await expect.poll(async () => (await f.t!.call<Chat>('conversations.get', { phone: ana })).items[2]?.media).not.toBeNull();
    const chat = await f.t.call<Chat>('conversations.open', { phone: ana });
    expect(chat.items.map((i) => i.kind)).toEqual(['campaign', 'in', 'in']);
    expect(chat.items[0]).toMatchObject({ campaignName: 'Promo', state: expect.stringMatching(/sent|delivered|read/) });
    const photo = chat.items[2]!;
    expect(photo.media?.kind).toBe('image');
    expect(chat.answerFrom).toBe(first.id);
    const driver = f.t.app.sessions.driver(first.id) as SimulatedDriver;
    expect(driver.chatSignals.map((s) => s.signal)).toEqual(['read']);
    expect((await f.t.call<List>('conversations.list', {})).rows[0]?.unread).toBe(0);

    // The user's system hears each state of the answer (a local receiver: http on this machine is allowed).
    await f.t.call('webhooks.create', { url: 'http://127.0.0.1:9/hook', events: ['conversation.answer'] });
    // The answer: a saved answer with the contact's name, sent from the number Ana wrote to, before the campaign's queue.
    const saved = await f.t.call<Template>('templates.save', { kind: 'answer', name: 'precio', body: 'Hola {{nombre}}, la playera cuesta $199.', mediaId: null });
    expect(await f.t.call<Template[]>('templates.list', {})).toEqual([]);
    expect((await f.t.call<Template[]>('templates.list', { kind: 'answer' })).map((x) => x.name)).toEqual(['precio']);
    const unansweredBefore = (await f.t.call<Dashboard>('dashboard.get')).numbers.find((n) => n.id === first.id)!.unanswered;
    const answer = await f.t.call<Answer>('conversations.answer', { phone: ana, clientId: 'answer-0001', text: '', templateId: saved.id });
    expect(answer).toMatchObject({ numberId: first.id, text: 'Hola Cliente 0, la playera cuesta $199.', replayed: false });
    // The same click again (the screen said it failed): the first answer, no second message.
    const again = await f.t.call<Answer>('conversations.answer', { phone: ana, clientId: 'answer-0001', text: '', templateId: saved.id });
    expect(again).toMatchObject({ id: answer.id, replayed: true });
    await f.clock.advance(5000);
    const after = await f.t.call<Chat>('conversations.get', { phone: ana });
    const answered = after.items.filter((i) => i.kind === 'answer');
    expect(answered).toHaveLength(1);
    expect(answered[0]?.state).toMatch(/sent|delivered|read/);
    expect(f.t.app.world.deliveriesOf(first.id).filter((m) => m.text.startsWith('Hola Cliente 0, la playera')).length).toBe(1);

    const told = (f.t.app.db.prepare("SELECT body FROM webhook_deliveries WHERE event = 'conversation.answer' ORDER BY id").pluck().all() as string[]).map((b) => JSON.parse(b).data);
    expect(told.map((d) => d.state)).toEqual(expect.arrayContaining(['sent']));
    expect(told[0]).toMatchObject({ answerId: answer.id, clientId: 'answer-0001', phone: ana, numberId: first.id, automatic: false });
    // Answered by a person: no longer waiting; "mine"; the median time to answer is known.
    const waiting = await f.t.call<List>('conversations.list', { show: 'waiting' });
    expect(waiting.rows.map((c) => c.phone)).toEqual([beto]);
    expect((await f.t.call<List>('conversations.list', { show: 'mine' })).rows.map((c) => c.phone)).toEqual([ana]);
    const dashboard = await f.t.call<Dashboard>('dashboard.get');
    expect(dashboard.conversations.waiting).toBe(1);
    expect(dashboard.conversations.medianAnswerMs).toBeGreaterThan(0);
    // The answer is a conversation that replied, as WhatsApp counts it: the health score reads it so.
    const db = f.t.app.db;
    const answeredAt = db.prepare("SELECT s.sending_at FROM sends s JOIN campaigns c ON c.id = s.campaign_id AND c.kind = 'chat'").pluck().get() as number;
    const answerOnly = numberCounts(db, first.id, answeredAt, f.clock.now() + 1, 0, 0);
    expect(answerOnly).toMatchObject({ sent: 1, people: 1, replied: 1 });
    // An answer to someone who wrote is no message "without an answer": WhatsApp's monthly tally does not grow.
    expect(dashboard.numbers.find((n) => n.id === first.id)!.unanswered).toBe(unansweredBefore);

    // A label and a note; filters by number and label.
    await f.t.call('conversations.update', { phone: beto, label: 'pedido', note: 'Quiere 3 playeras' });
    const labelled = await f.t.call<List>('conversations.list', { label: 'pedido' });
    expect(labelled.rows.map((c) => [c.phone, c.note])).toEqual([[beto, 'Quiere 3 playeras']]);
    expect(labelled.labels).toEqual(['pedido']);
    expect((await f.t.call<List>('conversations.list', { numberId: second.id })).rows.map((c) => c.phone)).toEqual([beto]);
    await f.t.call('conversations.setHandled', { phone: beto, handled: true });
    expect((await f.t.call<List>('conversations.list', { show: 'waiting' })).total).toBe(0);
  }, 60_000);

  it('refuses an answer to an opted-out contact before writing anything', async () => {
    const f = await campaignFixture({ contacts: 3, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.launch();
    await f.clock.advance(60_000);
    const phone = '+525520000002';
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone, body: 'BAJA' }));
    await f.clock.advance(1000);
    const sendsBefore = f.t.app.db.prepare('SELECT COUNT(*) FROM sends').pluck().get();
    await expect(f.t.call('conversations.answer', { phone, clientId: 'answer-0002', text: 'Perdón' })).rejects.toMatchObject({ code: 'opted_out' });
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM sends').pluck().get()).toBe(sendsBefore);
    expect((await f.t.call<List>('conversations.list', { show: 'opt_out' })).rows.map((c) => c.phone)).toEqual([phone]);
  }, 60_000);

  it('an answer goes before a queued campaign and is not spaced like one', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    // A careful campaign: 6–10 s between messages.
    await f.launch({ settings: { pace: { preset: 'careful' }, window: null, timeZone: 'America/Mexico_City', startAt: null } });
    await f.clock.advance(20_000);
    const phone = '+525520000000';
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone, body: '¿Hay envío a Monterrey?' }));
    const asked = f.clock.now();
    await f.t.call('conversations.answer', { phone, clientId: 'answer-0003', text: 'Sí, enviamos a todo México.' });
    await f.clock.advance(300);
    const row = f.t.app.db.prepare("SELECT s.sending_at FROM sends s JOIN campaigns c ON c.id = s.campaign_id WHERE c.kind = 'chat'").get() as { sending_at: number | null };
    expect(row.sending_at).not.toBeNull();
    expect(row.sending_at! - asked).toBeLessThan(1000);
  }, 60_000);

  it('auto-replies: a keyword answered once per period, never an opt-out or an opted-out contact', async () => {
    const f = await campaignFixture({ contacts: 4, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.t.call<Settings>('settings.update', {
      autoReplies: { ...DEFAULT_AUTO_REPLIES, enabled: true, periodHours: 24, keywords: [{ words: ['precio', 'cuánto cuesta'], text: 'Nuestros precios: https://laespiga.mx/precios' }] },
    });
    await f.launch();
    await f.clock.advance(60_000);
    const id = f.numbers[0]!.id;
    const ana = '+525520000000';
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: ana, body: '¿Cuál es el PRECIO?' }));
    await f.clock.advance(5000);
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: ana, body: 'precio de la talla M?' }));
    await f.clock.advance(5000);
    const autos = () => f.t!.app.db.prepare('SELECT phone, auto_rule FROM chat_answers WHERE auto_rule IS NOT NULL').all();
    expect(autos()).toEqual([{ phone: ana, auto_rule: 'keyword:0:precio' }]);
    const chat = await f.t.call<Chat>('conversations.get', { phone: ana });
    const auto = chat.items.find((i) => i.kind === 'auto');
    expect(auto?.text).toContain('Para hablar con una persona');
    // Still waiting for a person: an auto-reply does not answer it.
    expect((await f.t.call<List>('conversations.list', { show: 'waiting' })).rows.map((c) => c.phone)).toContain(ana);
    // A day later the period is over: answered again.
    await f.clock.advance(25 * 3600_000);
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: ana, body: 'precio?' }));
    await f.clock.advance(5000);
    expect(autos()).toHaveLength(2);

    // An opt-out is answered by the opt-out confirmation only, and later messages from them get nothing.
    const beto = '+525520000001';
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: beto, body: 'BAJA' }));
    await f.clock.advance(5000);
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: beto, body: '¿precio?' }));
    await f.clock.advance(5000);
    expect(autos()).toHaveLength(2);
  }, 120_000);

  it('a received file is kept in the data folder', async () => {
    const f = await campaignFixture({ contacts: 2, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.launch();
    await f.clock.advance(30_000);
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone: '+525520000000', body: '', media: 'document' }));
    // The file is fetched and written in real time (disk I/O), after the reply itself is stored.
    await expect.poll(async () => (await f.t!.call<Chat>('conversations.get', { phone: '+525520000000' })).items.find((i) => i.kind === 'in')?.media).not.toBeNull();
    const chat = await f.t.call<Chat>('conversations.get', { phone: '+525520000000' });
    const doc = chat.items.find((i) => i.kind === 'in');
    expect(doc).toMatchObject({ type: 'document', media: { kind: 'document', mime: 'application/pdf', fileName: 'pedido.pdf' } });
    const file = f.t.app.db.prepare('SELECT id, ext FROM media WHERE id = ?').get(doc!.media!.id) as { id: string; ext: string };
    expect(fs.existsSync(`${f.t.dataDir}/media/${file.id}.${file.ext}`)).toBe(true);
  }, 60_000);

  it('a restore keeps every conversation as it was (no reply counted twice) and an answer already sent is never sent again', async () => {
    const f = await campaignFixture({ contacts: 3, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.launch();
    await f.clock.advance(30_000);
    const id = f.numbers[0]!.id;
    const ana = '+525520000000';
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: ana, body: '¿Precio?' }));
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: '+525520000001', body: 'Hola' }));
    await f.clock.advance(1000);
    await f.t.call('conversations.update', { phone: ana, label: 'pedido' });
    const { url } = await f.t.call<{ url: string }>('backup.create');
    const reply = await fetch(`http://127.0.0.1:${f.t.server.port}${url}`, { headers: { Authorization: `Bearer ${f.t.server.token}` } });
    const file = path.join(tempDir(), 'respaldo.db');
    fs.writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
    // After the backup: Ana is answered (live history the restore keeps).
    await f.t.call('conversations.answer', { phone: ana, clientId: 'answer-restore', text: 'Cuesta $199.' });
    await f.clock.advance(5000);
    const before = await f.t.call<List>('conversations.list', {});

    const up = await fetch(`http://127.0.0.1:${f.t.server.port}/api/upload?name=respaldo.db`, { method: 'POST', headers: { Authorization: `Bearer ${f.t.server.token}` }, body: fs.readFileSync(file) });
    const { uploadId } = ((await up.json()) as { value: { uploadId: string } }).value;
    await settle(f.clock, f.t.call('backup.restore', { uploadId, confirm: true }));
    await f.clock.advance(5000);

    const after = await f.t.call<List>('conversations.list', {});
    const shape = (l: List) => l.rows.map((c) => [c.phone, c.unread, c.waiting, c.mine, c.label, c.previewOut, c.preview]);
    expect(shape(after)).toEqual(shape(before));
    expect(after.rows.find((c) => c.phone === ana)).toMatchObject({ label: 'pedido', mine: true, previewOut: true, preview: 'Cuesta $199.' });
    const again = await f.t.call<Answer>('conversations.answer', { phone: ana, clientId: 'answer-restore', text: 'Cuesta $199.' });
    expect(again.replayed).toBe(true);
    await f.clock.advance(5000);
    expect(f.t.app.world.deliveriesOf(id).filter((d) => d.text === 'Cuesta $199.')).toHaveLength(1);
  }, 60_000);
});
