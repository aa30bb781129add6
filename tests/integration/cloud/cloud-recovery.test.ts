import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignView, Progress } from '../../../shared/campaigns';
import type { CloudNumber, WaTemplate } from '../../../shared/cloud';
import type { NumberView } from '../../../shared/numbers';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { TEST_META, metaSignature, startGraphMock, webhookBody, type GraphMock } from '../../helpers/graph-mock';
import { REPO_ROOT, TESTDATA } from '../../helpers/paths';
import { TEST_CA } from '../../helpers/https-media-server';
import { until } from '../../helpers/until';
import { tempDir } from '../../helpers/temp-dir';

/**
 * What the Cloud path does when things go wrong: the app dies between "sending" and Meta's answer (the send is
 * found by the id it carried, or left in doubt, never sent again), a number whose token Meta revoked (it says so
 * and nothing is counted), a relay of the user's own instead of a tunnel (its deliveries checked like Meta's).
 */
const TOKEN = TEST_META.token;
const APP_SECRET = TEST_META.appSecret;
const ACCOUNT = TEST_META.account;
const TEMPLATE = { name: 'promo_semana', language: 'es_MX', status: 'APPROVED', category: 'MARKETING', components: [{ type: 'BODY', text: 'Hola {{1}}, te saluda Luis de La Espiga. Responde BAJA para no recibir más.' }] };

let t: TestApp | undefined;
let mock: GraphMock | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await t?.close();
  await mock?.close();
  for (const close of closers.splice(0)) await close();
  t = mock = undefined;
});

async function cloudApp(dataDir = tempDir()) {
  mock ??= await startGraphMock({ token: TOKEN, ...ACCOUNT, verifiedName: 'Panadería La Espiga', templates: [TEMPLATE] });
  // The relay of the relay test is this machine's own https server, trusted by its test CA.
  t = await startTestApp({ cloud: { graphUrl: mock.url }, relay: { rule: { loopback: true, lan: false }, ca: TEST_CA } }, dataDir);
  return t;
}

async function addNumber(app: TestApp): Promise<NumberView> {
  const number = await app.call<NumberView>('cloud.add', { phoneNumberId: ACCOUNT.phoneNumberId, wabaId: ACCOUNT.wabaId, token: TOKEN, appSecret: APP_SECRET });
  await until(() => app.call<NumberView[]>('numbers.list'), (list) => list[0]?.state === 'connected');
  return number;
}

async function campaign(app: TestApp, numberId: string): Promise<CampaignView> {
  const done = await app.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'), { list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
  const [template] = await app.call<WaTemplate[]>('cloud.templates', { numberId });
  return app.call<CampaignView>('campaigns.create', {
    name: 'Pan',
    templateId: null,
    body: 'x',
    mediaId: null,
    includeListIds: [done.summary?.listId],
    excludeListIds: [],
    numberIds: [numberId],
    settings: { pace: { preset: 'cloud' }, window: null, timeZone: 'America/Mexico_City', startAt: null, cloud: { templateId: template!.id, params: ['nombre'] } },
  });
}

describe('the Cloud path when things go wrong (issue 17)', () => {
  it('after a crash mid-send, finds by its id a message Meta took and never sends it again; one Meta never mentioned stays in doubt', async () => {
    const dataDir = tempDir();
    let app = await cloudApp(dataDir);
    const number = await addNumber(app);
    const created = await campaign(app, number.id);
    await app.call('campaigns.launch', { id: created.id });
    await until(() => app.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.state === 'completed');
    expect(mock!.sent).toHaveLength(6);
    // As if the app had died after marking two rows `sending`: one Meta took (its status came, with our id), one it never got.
    const [took, lost] = app.app.db.prepare("SELECT id, message_id FROM sends WHERE campaign_id = ? ORDER BY id LIMIT 2").all(created.id) as { id: number; message_id: string }[];
    const sentTo = mock!.sent.find((s) => s.callback === `whatzme:${took!.id}`)!;
    const body = webhookBody(ACCOUNT, { statuses: [{ id: sentTo.id, status: 'sent', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: sentTo.to, biz_opaque_callback_data: sentTo.callback }] });
    expect(app.app.cloud.webhooks.receive(Buffer.from(body), metaSignature(body, APP_SECRET)).status).toBe(200);
    app.app.db.prepare("UPDATE sends SET state = 'sending', message_id = NULL, sent_at = NULL, sending_at = ? WHERE id IN (?, ?)").run(Date.now(), took!.id, lost!.id);
    app.app.db.prepare("UPDATE campaigns SET state = 'running', finished_at = NULL WHERE id = ?").run(created.id);
    await app.close();
    t = undefined;

    app = await cloudApp(dataDir);
    const settled = await until(() => app.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.counts.sending === 0);
    expect(settled.counts).toMatchObject({ sending: 0, in_doubt: 1, sent: 5 });
    const rows = app.app.db.prepare('SELECT id, state, message_id FROM sends WHERE id IN (?, ?) ORDER BY id').all(took!.id, lost!.id) as { id: number; state: string; message_id: string | null }[];
    expect(rows).toEqual([
      { id: took!.id, state: 'sent', message_id: sentTo.id },
      { id: lost!.id, state: 'in_doubt', message_id: null },
    ]);
    expect(mock!.sent).toHaveLength(6); // nothing sent twice
  }, 40_000);

  it('a token Meta revoked puts the number in error in words, and the send waits for it, not counted as an attempt', async () => {
    const app = await cloudApp();
    const number = await addNumber(app);
    const created = await campaign(app, number.id);
    mock!.failNextSend({ status: 401, code: 190, message: 'Error validating access token: The session has been invalidated because the user changed their password.' });
    await app.call('campaigns.launch', { id: created.id });
    const failed = await until(() => app.call<NumberView[]>('numbers.list'), (list) => list[0]?.state === 'error');
    expect(failed[0]).toMatchObject({ state: 'error', error: 'cloud_auth' });
    const progress = await app.call<Progress>('campaigns.progress', { id: created.id });
    expect(progress.counts.failed).toBe(0);
    expect(app.app.db.prepare('SELECT MAX(attempts) FROM sends WHERE campaign_id = ?').pluck().get(created.id)).toBe(0);
    // Retried (Meta accepts the token again): it connects and the campaign goes on.
    await app.call('numbers.reconnect', { id: number.id });
    const done = await until(() => app.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.state === 'completed');
    expect(done.counts.sent).toBe(6);
  }, 40_000);

  it("takes Meta's webhooks from the user's relay, checked like Meta's own, and keeps the relay's cursor", async () => {
    const app = await cloudApp();
    const number = await addNumber(app);
    const created = await campaign(app, number.id);
    await app.call('campaigns.launch', { id: created.id });
    await until(() => app.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.state === 'completed');
    const [cloud] = await app.call<CloudNumber[]>('cloud.list');
    const delivered = webhookBody(ACCOUNT, { statuses: mock!.sent.map((s) => ({ id: s.id, status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: s.to })) });
    const forged = webhookBody(ACCOUNT, { statuses: mock!.sent.map((s) => ({ id: s.id, status: 'read', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: s.to })) });
    const asked: { after: string | null; auth: string | undefined }[] = [];
    const relay = https.createServer({ key: fs.readFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'tls', 'key.pem')), cert: TEST_CA }, (req, res) => {
      const url = new URL(req.url ?? '/', 'http://relay');
      asked.push({ after: url.searchParams.get('after'), auth: req.headers.authorization });
      const first = !url.searchParams.get('after');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(first ? { deliveries: [{ body: delivered, signature: metaSignature(delivered, APP_SECRET) }, { body: forged, signature: metaSignature(forged, 'ffffffffffffffffffffffffffffffff') }], cursor: 'c1' } : { deliveries: [], cursor: 'c1' }));
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise((resolve) => relay.close(() => resolve())));
    await app.call('cloud.setRelay', { numberId: number.id, url: `https://127.0.0.1:${(relay.address() as AddressInfo).port}/meta` });
    await app.app.cloud.relay.pollOnce();
    await app.app.cloud.relay.pollOnce();
    const progress = await until(() => app.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.counts.delivered === 6);
    expect(progress.counts).toMatchObject({ delivered: 6, read: 0 }); // the mis-signed "read" changed nothing
    expect(asked.slice(0, 2)).toEqual([
      { after: null, auth: `Bearer ${cloud!.verifyToken}` },
      { after: 'c1', auth: `Bearer ${cloud!.verifyToken}` },
    ]);
    expect((await app.call<CloudNumber[]>('cloud.list'))[0]?.lastWebhookAt).not.toBeNull();
  }, 40_000);

  it('a backup from before the Cloud number was added keeps the number, its templates and what Meta said when restored', async () => {
    const app = await cloudApp();
    const backup = await app.call<{ url: string }>('backup.create');
    const reply = await fetch(`http://127.0.0.1:${app.server.port}${backup.url}`, { headers: { Authorization: `Bearer ${app.server.token}` } });
    const file = path.join(tempDir(), 'respaldo.db');
    fs.writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
    const number = await addNumber(app);
    const created = await campaign(app, number.id);
    await app.call('campaigns.launch', { id: created.id });
    await until(() => app.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.state === 'completed');
    const first = mock!.sent[0]!;
    const body = webhookBody(ACCOUNT, { statuses: [{ id: first.id, status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: first.to, biz_opaque_callback_data: first.callback }] });
    expect(app.app.cloud.webhooks.receive(Buffer.from(body), metaSignature(body, APP_SECRET)).status).toBe(200);

    await app.call('backup.restore', { uploadId: await app.upload(file), confirm: true });
    const [cloud] = await until(() => app.call<CloudNumber[]>('cloud.list'), (list) => list.length === 1);
    expect(cloud).toMatchObject({ numberId: number.id, verifiedName: 'Panadería La Espiga' });
    expect(await app.call<WaTemplate[]>('cloud.templates', { numberId: number.id })).toHaveLength(1);
    // The send the status names is found by its id under the restored outbox's numbering.
    const row = app.app.db.prepare('SELECT id FROM sends WHERE message_id = ?').get(first.id) as { id: number };
    expect(app.app.db.prepare('SELECT callback FROM cloud_statuses WHERE message_id = ?').pluck().get(first.id)).toBe(`whatzme:${row.id}`);
    await until(() => app.call<NumberView[]>('numbers.list'), (list) => list[0]?.state === 'connected');
  }, 40_000);

  it('a template with an image header uploads the image to Meta once and every send reuses its id', async () => {
    mock = await startGraphMock({
      token: TOKEN,
      ...ACCOUNT,
      verifiedName: 'Panadería La Espiga',
      templates: [{ name: 'promo_foto', language: 'es_MX', status: 'APPROVED', category: 'MARKETING', components: [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'Hola {{1}}, mira lo nuevo de La Espiga. Responde BAJA para no recibir más.' }] }],
    });
    const app = await cloudApp();
    const number = await addNumber(app);
    const done = await app.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'), { list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
    const [template] = await app.call<WaTemplate[]>('cloud.templates', { numberId: number.id });
    expect(template).toMatchObject({ header: 'image', params: 1 });
    const input = (mediaId: string | null) => ({
      name: 'Foto',
      templateId: null,
      body: 'x',
      mediaId,
      includeListIds: [done.summary?.listId],
      excludeListIds: [],
      numberIds: [number.id],
      settings: { pace: { preset: 'cloud' }, window: null, timeZone: 'America/Mexico_City', startAt: null, cloud: { templateId: template!.id, params: ['nombre'] } },
    });
    // Without the image its header needs: refused before anything is written.
    await expect(app.call('campaigns.create', input(null))).rejects.toMatchObject({ code: 'cloud_template_required', field: 'mediaId' });
    const media = await app.call<{ id: string }>('media.add', { uploadId: await app.upload(path.join(TESTDATA, 'media', 'promo.jpg')) });
    const created = await app.call<CampaignView>('campaigns.create', input(media.id));
    await app.call('campaigns.launch', { id: created.id });
    await until(() => app.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.state === 'completed');
    const uploads = mock!.requests.filter((r) => r.path.endsWith('/media'));
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.body).toMatchObject({ messaging_product: 'whatsapp', type: 'image/jpeg', file: 'promo.jpg' });
    expect(uploads[0]?.check.valid).toBe(true);
    const headers = mock!.sent.map((s) => (s.template!.components as { type: string; parameters: { image?: { id: string } }[] }[])[0]);
    expect(headers).toHaveLength(6);
    expect(new Set(headers.map((h) => `${h?.type}:${h?.parameters[0]?.image?.id}`))).toEqual(new Set(['header:4490709327384001']));
    expect(mock!.requests.every((r) => r.check.valid)).toBe(true);
    expect(mock!.requests.some((r) => r.resumable)).toBe(false);
  }, 40_000);

  it('a saved message with an image becomes a template with an image header: the sample goes up on the app, its handle in the example', async () => {
    mock = await startGraphMock({ token: TOKEN, ...ACCOUNT, verifiedName: 'Panadería La Espiga', templates: [], appId: '634974688087057' });
    const app = await cloudApp();
    const number = await addNumber(app);
    const media = await app.call<{ id: string }>('media.add', { uploadId: await app.upload(path.join(TESTDATA, 'media', 'promo.jpg')) });
    const message = await app.call<{ id: number }>('templates.save', { name: 'Foto', body: 'Hola {{nombre}}, mira las roscas. Responde BAJA para no recibir más.', mediaId: media.id });
    const draft = { numberId: number.id, messageId: message.id, name: 'roscas_foto', category: 'MARKETING', language: 'es_MX', examples: { nombre: 'Ana' } };
    // The app id is asked for, before anything goes to Meta.
    await expect(app.call('cloud.createTemplate', draft)).rejects.toMatchObject({ code: 'invalid_input', field: 'appId' });
    expect(mock.requests.filter((r) => r.method === 'POST')).toEqual([]);
    const created = await app.call<WaTemplate>('cloud.createTemplate', { ...draft, appId: '634974688087057' });
    expect(created).toMatchObject({ name: 'roscas_foto', status: 'PENDING', header: 'image', params: 1 });
    const [session, bytes, template] = mock.requests.filter((r) => r.method === 'POST');
    const size = fs.statSync(path.join(TESTDATA, 'media', 'promo.jpg')).size;
    expect(session).toMatchObject({ path: '/v23.0/634974688087057/uploads', resumable: true });
    expect(new URLSearchParams(session!.query)).toEqual(new URLSearchParams({ file_name: 'promo.jpg', file_length: String(size), file_type: 'image/jpeg' }));
    expect(bytes).toMatchObject({ resumable: true, body: { bytes: size } });
    expect(bytes?.headers).toMatchObject({ authorization: `OAuth ${TOKEN}`, file_offset: '0' });
    expect(template?.check.valid).toBe(true);
    expect(template?.body).toMatchObject({
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: [expect.stringMatching(/^4::aW1hZ2UvanBlZw==:.+:634974688087057:/)] } },
        { type: 'BODY', text: 'Hola {{1}}, mira las roscas. Responde BAJA para no recibir más.', example: { body_text: [['Ana']] } },
      ],
    });
    // The app id is kept for the next template.
    expect((await app.call<CloudNumber[]>('cloud.list'))[0]?.appId).toBe('634974688087057');
  }, 40_000);
});
