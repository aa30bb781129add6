import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKey, ApiMessage, ApiRequestLog, Webhook, WebhookDelivery } from '../../../shared/api';
import type { CampaignView } from '../../../shared/campaigns';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { request } from '../../helpers/http';
import { settle } from '../../helpers/clock';
import { webhookReceiver } from '../../helpers/webhook-receiver';
import type { TestApp } from '../../helpers/contacts-app';
import { WEBHOOK_BACKOFF_MS } from '../../../electron/api';

let t: TestApp | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await t?.close();
  t = undefined;
});

/** Moves the manual clock a second at a time, letting real I/O (webhook POSTs) run between steps, until `found`. */
async function until<T>(clock: { advance(ms: number): Promise<void> }, found: () => T | undefined, steps = 400): Promise<T> {
  for (let i = 0; i < steps; i++) {
    const value = found();
    if (value !== undefined) return value;
    await clock.advance(WEBHOOK_BACKOFF_MS[0]! / 10);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('never happened');
}

const phoneOf = (i: number) => `+5255${String(20000000 + i * 37)}`; // as contactsCsvIn writes contact i

/** A command with an API key, as the user's script makes it: the answer's HTTP status and its envelope. */
async function withKey(t: TestApp, secret: string, name: string, input: unknown = {}) {
  const reply = await request(t.server.port, { method: 'POST', path: `/api/${name}`, headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
  return { status: reply.status, body: reply.json() as { ok: boolean; value?: unknown; error?: { code: string; field?: string } } };
}

describe('messages.send: the user\'s systems send through the same outbox, pace and rules as campaigns', () => {
  it('queues with when it is expected, sends once per idempotency key, refuses opt-outs, and goes before a campaign', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1, config: { simBehaviour: { replyRate: 0, readRate: 1 } } });
    t = f.t;
    const { secret } = await f.t.call<{ key: ApiKey; secret: string }>('apiKeys.create', { name: 'Tienda en línea', scope: 'send' });
    expect(secret).toMatch(/^wzm_/);

    // A campaign to 40 is running; an order confirmation comes in from the shop's system.
    await f.launch();
    await f.clock.advance(3000);
    const order = { idempotencyKey: 'pedido-1001', phone: '55 2000 0037', text: 'Hola {{nombre}}, tu pedido {{pedido}} va en camino.', fields: { pedido: '1001' } };
    const first = await withKey(f.t, secret, 'messages.send', order);
    expect(first.status).toBe(200);
    const queued = first.body.value as ApiMessage;
    expect(queued).toMatchObject({ state: 'queued', phone: phoneOf(1), text: 'Hola Cliente 1, tu pedido 1001 va en camino.', replayed: false });
    // It says when it should go: within the pace's spacing, not after the campaign's 40.
    expect(queued.expectedAt).toBeGreaterThanOrEqual(f.clock.now());
    expect(queued.expectedAt! - f.clock.now()).toBeLessThan(20_000);

    for (let i = 0; i < 30 && (await f.t.call<ApiMessage>('messages.status', { id: queued.id })).state !== 'read'; i++) await f.clock.advance(1000);
    const done = await f.t.call<ApiMessage>('messages.status', { idempotencyKey: 'pedido-1001' });
    expect(done).toMatchObject({ state: 'read', numberId: f.numbers[0]!.id });
    expect(done.sentAt).not.toBeNull();
    expect(done.deliveredAt).not.toBeNull();
    // It went before most of the campaign: fewer than 10 of the campaign's had gone when it was sent.
    const campaignBefore = f.t.app.db.prepare("SELECT COUNT(*) FROM sends s JOIN campaigns c ON c.id = s.campaign_id AND c.kind = 'campaign' WHERE s.sent_at < ?").pluck().get(done.sentAt) as number;
    expect(campaignBefore).toBeLessThan(10);

    // The same key again: the first result, nothing sent again (WhatsApp's side has one message for that phone).
    const again = await withKey(f.t, secret, 'messages.send', order);
    expect(again.body.value).toMatchObject({ id: queued.id, state: 'read', replayed: true });
    const toPhone = () => f.t!.app.world.deliveriesOf(f.numbers[0]!.id).filter((d) => d.text.includes('tu pedido'));
    expect(toPhone()).toHaveLength(1);
    // The same key for another message is refused, not taken as the first one.
    const other = await withKey(f.t, secret, 'messages.send', { ...order, text: 'Otro texto' });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency_conflict', field: 'idempotencyKey' });

    // An opted-out phone is refused with its code, before anything is written.
    await f.t.call('contacts.optOut', { phone: phoneOf(2) }).catch(async () => f.t!.app.contacts.optOut(phoneOf(2), 'manual', 'test'));
    const before = f.t.app.db.prepare('SELECT COUNT(*) FROM api_messages').pluck().get();
    const refused = await withKey(f.t, secret, 'messages.send', { idempotencyKey: 'pedido-1002', phone: phoneOf(2), text: 'Hola' });
    expect(refused.body.error).toMatchObject({ code: 'opted_out', field: 'phone' });
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM api_messages').pluck().get()).toBe(before);
    // A field the message needs and nobody gave: refused, said which.
    const missing = await withKey(f.t, secret, 'messages.send', { idempotencyKey: 'pedido-1003', phone: phoneOf(3), text: 'Tu cita es el {{fecha}}' });
    expect(missing.body.error).toMatchObject({ code: 'missing_field' });

    // API sends are not campaigns: the user's list of campaigns has only the one they made.
    expect((await f.t.call<CampaignView[]>('campaigns.list')).map((c) => c.name)).toEqual(['Promo']);
    const listed = await f.t.call<{ total: number; rows: ApiMessage[] }>('messages.list', {});
    expect(listed.total).toBe(1);
  }, 60_000);

  it('a phone the app did not know becomes a contact; a batch says per item what was refused and sends the rest', async () => {
    const f = await campaignFixture({ contacts: 3, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    f.t.app.contacts.optOut(phoneOf(0), 'manual', 'test');
    const { items } = await f.t.call<{ items: { index: number; ok: boolean; message?: ApiMessage; error?: { code: string } }[] }>('messages.sendBatch', {
      messages: [
        { idempotencyKey: 'cita-1', phone: phoneOf(0), text: 'Recordatorio de su cita' },
        { idempotencyKey: 'cita-2', phone: '+52 1 81 5555 0101', text: 'Recordatorio de su cita' },
        { idempotencyKey: 'cita-3', contactId: 999_999, text: 'Recordatorio de su cita' },
        { idempotencyKey: 'cita-2', phone: '+52 1 81 5555 0101', text: 'Recordatorio de su cita' },
      ],
    });
    expect(items.map((i) => (i.ok ? 'ok' : i.error?.code))).toEqual(['opted_out', 'ok', 'not_found', 'ok']);
    expect(items[3]?.message).toMatchObject({ id: items[1]?.message?.id, replayed: true });
    const created = f.t.app.db.prepare("SELECT id, name FROM contacts WHERE phone = '+528155550101'").get();
    expect(created).toMatchObject({ name: null });
    // A malformed item refuses the whole batch before anything is written.
    const count = f.t.app.db.prepare('SELECT COUNT(*) FROM api_messages').pluck().get();
    await expect(f.t.call('messages.sendBatch', { messages: [{ idempotencyKey: 'x', phone: phoneOf(1), text: 'a' }, { phone: phoneOf(1) }] })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM api_messages').pluck().get()).toBe(count);
    for (let i = 0; i < 20; i++) await f.clock.advance(1000);
    expect((await f.t.call<ApiMessage>('messages.status', { idempotencyKey: 'cita-2' })).state).not.toBe('queued');
  }, 60_000);
});

describe('a restore of an older backup', () => {
  it('never lets an idempotency key send again, and a key revoked since stays revoked', async () => {
    const f = await campaignFixture({ contacts: 2, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const { key, secret } = await f.t.call<{ key: ApiKey; secret: string }>('apiKeys.create', { name: 'Tienda', scope: 'send' });
    const backup = await f.t.call<{ url: string }>('backup.create');
    const reply = await fetch(`http://127.0.0.1:${f.t.server.port}${backup.url}`, { headers: { Authorization: `Bearer ${f.t.server.token}` } });
    const file = `${f.t.dataDir}/../respaldo-${Date.now()}.db`;
    (await import('node:fs')).writeFileSync(file, Buffer.from(await reply.arrayBuffer()));

    // After the backup: an order confirmation goes out, and the key is revoked.
    const order = { idempotencyKey: 'pedido-9', phone: phoneOf(0), text: 'Tu pedido 9 está listo.' };
    const first = await withKey(f.t, secret, 'messages.send', order);
    for (let i = 0; i < 20; i++) await f.clock.advance(1000);
    expect((await f.t.call<ApiMessage>('messages.status', { idempotencyKey: 'pedido-9' })).state).not.toBe('queued');
    await f.t.call('apiKeys.revoke', { id: key.id });

    const uploadId = await f.t.upload(file);
    await settle(f.clock, f.t.call('backup.restore', { uploadId, confirm: true }));
    // The same key after the restore: the first result, nothing sent again; the revoked key is still refused.
    const again = await f.t.call<ApiMessage>('messages.send', order);
    expect(again).toMatchObject({ id: (first.body.value as ApiMessage).id, replayed: true });
    for (let i = 0; i < 20; i++) await f.clock.advance(1000);
    expect(f.t.app.world.deliveriesOf(f.numbers[0]!.id).filter((d) => d.text.includes('pedido 9'))).toHaveLength(1);
    expect((await withKey(f.t, secret, 'messages.list', {})).status).toBe(401);
  }, 60_000);
});

describe('API keys: apart from the UI token, scoped, revocable, every request logged without secrets', () => {
  it('a send key sends but reads no contacts; a revoked key is refused; the log names commands, never keys', async () => {
    const f = await campaignFixture({ contacts: 2, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const send = await f.t.call<{ key: ApiKey; secret: string }>('apiKeys.create', { name: 'Tienda', scope: 'send' });
    const all = await f.t.call<{ key: ApiKey; secret: string }>('apiKeys.create', { name: 'CRM', scope: 'all' });
    expect((await withKey(f.t, send.secret, 'contacts.query', { offset: 0, limit: 5 })).status).toBe(403);
    expect((await withKey(f.t, all.secret, 'contacts.query', { offset: 0, limit: 5 })).status).toBe(200);
    // A key never makes keys.
    expect((await withKey(f.t, all.secret, 'apiKeys.create', { name: 'otra', scope: 'all' })).body.error).toMatchObject({ code: 'forbidden' });
    // Stored hashed: the database holds no key.
    const stored = JSON.stringify(f.t.app.db.prepare('SELECT * FROM api_keys').all());
    expect(stored).not.toContain(send.secret);
    expect(stored).not.toContain(all.secret.slice(12));
    await f.t.call('apiKeys.revoke', { id: send.key.id });
    expect((await withKey(f.t, send.secret, 'messages.list', {})).status).toBe(401);
    expect((await withKey(f.t, 'wzm_notakey', 'messages.list', {})).status).toBe(401);
    const keys = await f.t.call<ApiKey[]>('apiKeys.list');
    expect(keys.map((k) => [k.name, k.revokedAt !== null])).toEqual([['CRM', false], ['Tienda', true]]);
    expect(keys[0]?.lastUsedAt).not.toBeNull();
    const log = await f.t.call<ApiRequestLog[]>('apiKeys.log', { limit: 20 });
    expect(log.map((l) => [l.keyName, l.command, l.status])).toEqual([
      [null, 'messages.list', 401],
      [null, 'messages.list', 401],
      ['CRM', 'apiKeys.create', 422],
      ['CRM', 'contacts.query', 200],
      ['Tienda', 'contacts.query', 403],
    ]);
    expect(JSON.stringify(log)).not.toContain('wzm_');
  }, 60_000);
});

describe('webhooks: signed events from a durable queue, retried with backoff, each attempt shown', () => {
  it('tells the user\'s system a message\'s states, a reply and an opt-out, signed; a failed delivery is retried', async () => {
    const f = await campaignFixture({ contacts: 2, numbers: 1, config: { simBehaviour: { replyRate: 0, readRate: 1 } } });
    t = f.t;
    // The receiver fails the first delivery: it must come again after the backoff.
    const receiver = await webhookReceiver([500]);
    closers.push(receiver.close);
    const made = await f.t.call<{ webhook: Webhook; secret: string }>('webhooks.create', { url: receiver.url, events: ['message.status', 'message.received', 'contact.opted_out', 'number.state'] });
    receiver.setSecret(made.secret);
    const sent = await f.t.call<ApiMessage>('messages.send', { idempotencyKey: 'pago-77', phone: phoneOf(0), text: 'Recibimos tu pago, gracias.' });

    // Virtual time for the engine and the backoff, real time for the HTTP deliveries in between.
    const delivered = await until(f.clock, () => receiver.received.find((r) => r.event.type === 'message.status' && r.event.data.state === 'read'));
    expect(delivered.verified).toBe(true);
    expect(delivered.headers['x-whatzme-event']).toBe('message.status');
    expect(delivered.event.data).toMatchObject({ id: sent.id, idempotencyKey: 'pago-77', phone: phoneOf(0), state: 'read' });
    const states = receiver.received.filter((r) => r.event.type === 'message.status').map((r) => r.event.data.state);
    // Each state once; the failed 'queued' came after the others (a retry never holds the rest back).
    expect([...states].sort()).toEqual(['delivered', 'queued', 'read', 'sent']);

    // The first attempt of the first delivery failed (500) and was tried again: both attempts are on record.
    const deliveries = await f.t.call<WebhookDelivery[]>('webhooks.deliveries', { limit: 50 });
    const retried = deliveries.find((d) => d.attempts.length === 2);
    expect(retried?.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(retried?.state).toBe('delivered');

    // The contact answers, then opts out: both are told.
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone: phoneOf(0), body: '¿A qué hora abren?' }));
    const reply = await until(f.clock, () => receiver.received.find((r) => r.event.type === 'message.received'));
    expect(reply.event.data).toMatchObject({ phone: phoneOf(0), body: '¿A qué hora abren?', optOut: false, apiMessageId: sent.id });
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone: phoneOf(0), body: 'BAJA' }));
    const optedOut = await until(f.clock, () => receiver.received.find((r) => r.event.type === 'contact.opted_out'));
    expect(optedOut.event.data).toMatchObject({ phone: phoneOf(0), source: 'reply' });
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    // Each event once, each with its own id.
    const ids = receiver.received.map((r) => r.event.id);
    expect(new Set(ids).size).toBe(ids.length);
  }, 60_000);

  it('refuses a webhook that is not https (plain http only on this machine)', async () => {
    const f = await campaignFixture({ contacts: 1, numbers: 1 });
    t = f.t;
    await expect(f.t.call('webhooks.create', { url: 'http://example.com/hook', events: ['message.status'] })).rejects.toMatchObject({ code: 'url_needs_https', field: 'url' });
    await expect(f.t.call('webhooks.create', { url: 'https://user:pw@example.com/hook', events: ['message.status'] })).rejects.toMatchObject({ code: 'invalid_input' });
    const ok = await f.t.call<{ webhook: Webhook }>('webhooks.create', { url: 'https://example.com/hook', events: ['campaign.finished'] });
    expect(ok.webhook).toMatchObject({ url: 'https://example.com/hook', active: true, events: ['campaign.finished'] });
  });
});
