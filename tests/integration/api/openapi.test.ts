import fs from 'node:fs';
import path from 'node:path';
import createClient from 'openapi-fetch';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, OPENAPI_FILE, clientTypesText, openApiText } from '../../../scripts/openapi';
import type { paths } from '../../api-client/whatzme-api';
import { startWebApp, type WebApp } from '../../e2e/support/web-app';
import { REPO_ROOT } from '../../helpers/paths';
import { tempDir } from '../../helpers/temp-dir';
import { httpsMediaServer } from '../../helpers/https-media-server';
import { webhookReceiver } from '../../helpers/webhook-receiver';

const committed = fs.readFileSync(OPENAPI_FILE, 'utf8');

describe('OpenAPI 3.1 from the zod contract', () => {
  it('docs/openapi.json is what the contract generates (run `npm run openapi` after changing the contract)', () => {
    expect(committed).toBe(openApiText());
  });

  it('is valid OpenAPI 3.1 by a real validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(committed);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('the client types are what openapi-typescript generates from that file', async () => {
    expect(fs.readFileSync(CLIENT_TYPES_FILE, 'utf8')).toBe(await clientTypesText(committed));
  });
});

/**
 * The "Done when" of the automation API: a script that knows only docs/openapi.json and an API key, driving the
 * real app (a child process) through a client generated from that file, against a demo number.
 */
describe('a script with docs/openapi.json and an API key', () => {
  let app: WebApp | undefined;
  let media: Awaited<ReturnType<typeof httpsMediaServer>>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  const dataDir = tempDir();
  const tls = path.join(REPO_ROOT, 'tests', 'fixtures', 'tls', 'cert.pem');
  // No demo send fails for a moment: one would be retried 30 s later, past the waits below (1 run in 100).
  const start = () => startWebApp(dataDir, ['--demo', '--demo-failure-rate', '0', '--allow-private-links', '--links-ca', tls]);

  beforeAll(async () => {
    media = await httpsMediaServer();
    receiver = await webhookReceiver();
  });
  afterAll(async () => {
    await app?.stop();
    await media.close();
    await receiver.close();
  });

  /** The user's side, with the app's token: link the demo number, make a key (the script gets only the key). */
  async function asUser(name: string, input: unknown = {}) {
    const token = new URL(app!.url).searchParams.get('token');
    const reply = await fetch(`${app!.origin}/api/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
    const body = (await reply.json()) as { ok: boolean; value: unknown };
    if (!body.ok) throw new Error(`${name}: ${JSON.stringify(body)}`);
    return body.value;
  }

  /** The script: the server's address and paths from the file, the client from the generated types. */
  function script(secret: string) {
    const doc = JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8')) as { servers: { url: string }[] };
    const baseUrl = doc.servers[0]!.url.replace('{port}', String(app!.port));
    return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${secret}` } });
  }

  it('sends an https image to a demo contact, hears delivered and a reply signed, and a repeat after kill -9 sends nothing', async () => {
    app = await start();
    const [number] = (await asUser('numbers.list')) as { id: string; state: string }[];
    for (let i = 0; i < 100 && ((await asUser('numbers.list')) as { state: string }[])[0]!.state !== 'qr'; i++) await new Promise((r) => setTimeout(r, 100));
    await asUser('numbers.simulateScan', { id: number!.id });
    for (let i = 0; i < 100 && ((await asUser('numbers.list')) as { state: string }[])[0]!.state !== 'connected'; i++) await new Promise((r) => setTimeout(r, 100));
    // What the running app serves is the committed file.
    const served = await fetch(`${app.origin}/api/openapi.json`);
    expect(await served.json()).toEqual(JSON.parse(committed));
    const { secret } = (await asUser('apiKeys.create', { name: 'Sistema de pedidos', scope: 'all' })) as { secret: string };

    let api = script(secret);
    const hook = await api.POST('/api/webhooks.create', { body: { url: receiver.url, events: ['message.status', 'message.received'] } });
    expect(hook.response.status).toBe(200);
    receiver.setSecret(hook.data!.value.secret);
    const order = { idempotencyKey: 'pedido-5521', phone: '55 1234 5678', text: 'Tu pedido 5521 está listo para recoger.', mediaUrl: media.url('/promo.jpg') };
    const sent = await api.POST('/api/messages.send', { body: order });
    expect(sent.response.status).toBe(200);
    const first = sent.data!.value;
    expect(first).toMatchObject({ state: 'queued', phone: '+525512345678', hasMedia: true, replayed: false });

    const delivered = await receiver.waitFor((r) => r.event.type === 'message.status' && ['delivered', 'read'].includes(String(r.event.data.state)), 30_000);
    expect(delivered.verified).toBe(true);
    expect(delivered.event.data).toMatchObject({ id: first.id, idempotencyKey: 'pedido-5521' });
    await asUser('numbers.simulateReply', { id: number!.id, phone: '+525512345678', body: 'Gracias, paso a las 5' });
    const reply = await receiver.waitFor((r) => r.event.type === 'message.received', 30_000);
    expect(reply.verified).toBe(true);
    expect(reply.event.data).toMatchObject({ phone: '+525512345678', body: 'Gracias, paso a las 5', apiMessageId: first.id });

    // kill -9, start again: the same key is answered with the first result, and WhatsApp's side got one message.
    app.process.kill('SIGKILL');
    await new Promise((resolve) => app!.process.once('exit', resolve));
    app = await start();
    api = script(secret);
    const again = await api.POST('/api/messages.send', { body: order });
    expect(again.data!.value).toMatchObject({ id: first.id, replayed: true });
    expect(['delivered', 'read']).toContain(again.data!.value.state);
    const status = await api.POST('/api/messages.status', { body: { idempotencyKey: 'pedido-5521' } });
    expect(status.data!.value.id).toBe(first.id);
    await new Promise((r) => setTimeout(r, 3000));
    const record = fs
      .readFileSync(path.join(dataDir, 'simulator', 'deliveries.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; media?: { kind: string } });
    const toCustomer = record.filter((r) => r.text.includes('pedido 5521'));
    expect(toCustomer).toHaveLength(1);
    expect(toCustomer[0]!.media?.kind).toBe('image');
    expect(media.hits('/promo.jpg')).toBe(1);
  }, 120_000);
});
