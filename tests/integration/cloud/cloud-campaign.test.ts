import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignView, Progress, Estimate } from '../../../shared/campaigns';
import type { CloudNumber, WaTemplate } from '../../../shared/cloud';
import type { Contact } from '../../../shared/contacts';
import type { NumberView } from '../../../shared/numbers';
import type { Report } from '../../../shared/reports';
import { startWebhookServer } from '../../../electron/cloud';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { TEST_META, metaSignature, startGraphMock, webhookBody, type GraphMock } from '../../helpers/graph-mock';
import { TESTDATA } from '../../helpers/paths';
import { until } from '../../helpers/until';
import { closeAll } from '../../helpers/close-all';

/**
 * The Cloud API path end to end, against a Graph API mock built from Meta's own OpenAPI file: a number added with
 * its ids and token (a wrong token refused first, nothing kept), its templates synced, a campaign that sends one
 * approved template per contact with that contact's parameters, receipts and an opt-out from signed webhooks (an
 * unsigned and a mis-signed one refused, a retried one counted once), a failure Meta reports later (131026), and
 * the cost in the estimate and the report. Every request the driver made is checked against Meta's spec.
 */
const TOKEN = TEST_META.token;
const APP_SECRET = TEST_META.appSecret;
const ACCOUNT = TEST_META.account;
const PROMO = 'Hola {{1}}, te saluda Luis de La Espiga. Esta semana en {{2}} tenemos 20% en pan dulce. Si no deseas recibir más mensajes, responde BAJA.';

let t: TestApp | undefined;
let mock: GraphMock | undefined;
let hooks: Awaited<ReturnType<typeof startWebhookServer>> | undefined;
afterEach(async () => {
  await closeAll(hooks, t, mock);
  hooks = t = mock = undefined;
});

async function post(url: string, body: string, signature?: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-Hub-Signature-256': signature } : {}) }, body });
  return response.status;
}

describe('a campaign on a Cloud API number (issue 17)', () => {
  it('sends an approved template per contact, follows signed webhooks to read, records an opt-out, refuses bad signatures, and reports the cost', async () => {
    mock = await startGraphMock({
      token: TOKEN,
      ...ACCOUNT,
      verifiedName: 'Panadería La Espiga',
      tier: 'TIER_1K',
      templates: [
        { name: 'promo_semana', language: 'es_MX', status: 'APPROVED', category: 'MARKETING', components: [{ type: 'BODY', text: PROMO }] },
        { name: 'aviso_pedido', language: 'es_MX', status: 'PENDING', category: 'UTILITY', components: [{ type: 'BODY', text: 'Tu pedido {{1}} está listo.' }] },
        { name: 'old_promo', language: 'en_US', status: 'REJECTED', category: 'MARKETING', components: [{ type: 'BODY', text: 'Hi {{1}}' }] },
      ],
    });
    t = await startTestApp({ cloud: { graphUrl: mock.url } });
    hooks = await startWebhookServer(t.app.cloud.webhooks, 0);
    t.app.cloud.setWebhookUrl(hooks.url);

    // A wrong token is refused by Meta before anything is kept.
    await expect(t.call('cloud.add', { phoneNumberId: ACCOUNT.phoneNumberId, wabaId: ACCOUNT.wabaId, token: TOKEN, appSecret: 'not-a-secret' })).rejects.toMatchObject({ code: 'invalid_input', field: 'appSecret' });
    await expect(t.call('cloud.add', { phoneNumberId: ACCOUNT.phoneNumberId, wabaId: ACCOUNT.wabaId, token: `${TOKEN}x`, appSecret: APP_SECRET })).rejects.toMatchObject({ code: 'cloud_auth' });
    expect(await t.call<NumberView[]>('numbers.list')).toEqual([]);

    const added = await t.call<NumberView>('cloud.add', { phoneNumberId: ACCOUNT.phoneNumberId, wabaId: ACCOUNT.wabaId, token: TOKEN, appSecret: APP_SECRET });
    expect(added).toMatchObject({ kind: 'cloud', label: 'Panadería La Espiga' });
    const numbers = await until(() => t!.call<NumberView[]>('numbers.list'), (list) => list[0]?.state === 'connected');
    expect(numbers[0]).toMatchObject({ state: 'connected', phone: '+525599990000', name: 'Panadería La Espiga' });
    const [cloud] = await t.call<CloudNumber[]>('cloud.list');
    expect(cloud).toMatchObject({ verifiedName: 'Panadería La Espiga', qualityRating: 'GREEN', limitTier: 'TIER_1K', dailyLimit: 1000, webhookLocalUrl: hooks.url, secretStore: 'file' });
    // Added a second time: refused, the first one stays as it is.
    await expect(t.call('cloud.add', { phoneNumberId: ACCOUNT.phoneNumberId, wabaId: ACCOUNT.wabaId, token: TOKEN, appSecret: APP_SECRET })).rejects.toMatchObject({ code: 'number_exists' });

    // The templates, all three pages' worth, with their status; Meta's verification handshake with the verify token.
    const templates = await t.call<WaTemplate[]>('cloud.templates', { numberId: added.id });
    expect(templates.map((x) => [x.name, x.status, x.params])).toEqual([
      ['aviso_pedido', 'PENDING', 1],
      ['old_promo', 'REJECTED', 1],
      ['promo_semana', 'APPROVED', 2],
    ]);
    const promo = templates.find((x) => x.name === 'promo_semana')!;
    const pending = templates.find((x) => x.name === 'aviso_pedido')!;
    const challenge = await fetch(`${hooks.url}?hub.mode=subscribe&hub.verify_token=${cloud!.verifyToken}&hub.challenge=1158201444`);
    expect([challenge.status, await challenge.text()]).toEqual([200, '1158201444']);
    expect((await fetch(`${hooks.url}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);

    // The contacts of a real export: five in Mexico, one in the US.
    const done = await t.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'), { list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
    const listId = done.summary?.listId as number;
    const input = (cloudChoice: unknown) => ({
      name: 'Pan dulce',
      templateId: null,
      body: 'ignorado: el texto es el de la plantilla',
      mediaId: null,
      includeListIds: [listId],
      excludeListIds: [],
      numberIds: [added.id],
      settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null, ...(cloudChoice ? { cloud: cloudChoice } : {}) },
    });
    // Only an approved template, with a field for each of its parameters.
    await expect(t.call('campaigns.create', input(null))).rejects.toMatchObject({ code: 'cloud_template_required' });
    await expect(t.call('campaigns.create', input({ templateId: pending.id, params: ['nombre'] }))).rejects.toMatchObject({ code: 'cloud_template_not_approved' });
    await expect(t.call('campaigns.create', input({ templateId: promo.id, params: ['nombre'] }))).rejects.toMatchObject({ code: 'cloud_template_required' });

    // The estimate says what it would cost at Settings' price for marketing.
    const estimate = await t.call<Estimate>('campaigns.estimate', input({ templateId: promo.id, params: ['nombre', 'ciudad'] }));
    expect(estimate.toSend).toBe(6);
    expect(estimate.cost).toEqual({ category: 'MARKETING', each: 0.0365, total: 0.22, asOf: '2026-01-01' });
    expect(estimate.dailyCapacity).toBe(1000);

    // One contact's template is refused by Meta at the send (132000, parameters do not match): failed with why.
    mock.failRecipient('522221234567', { status: 400, code: 132000, message: 'Number of parameters does not match the expected number of params' });
    const created = await t.call<CampaignView>('campaigns.create', input({ templateId: promo.id, params: ['nombre', 'ciudad'] }));
    expect(created.settings.pace).toEqual({ preset: 'cloud' });
    expect(created.body).toBe('Hola {{nombre}}, te saluda Luis de La Espiga. Esta semana en {{ciudad}} tenemos 20% en pan dulce. Si no deseas recibir más mensajes, responde BAJA.');
    await t.call('campaigns.launch', { id: created.id });
    const sent = await until(() => t!.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.counts.sent === 5 && p.counts.failed === 1);
    expect(sent.counts).toMatchObject({ sent: 5, failed: 1, queued: 0, sending: 0 });

    // One template per contact, with that contact's own values, each carrying its send's id for "never twice".
    expect(mock.sent).toHaveLength(5);
    const jose = mock.sent.find((s) => s.to === '525512345678')!;
    expect(jose.template).toEqual({ name: 'promo_semana', language: { policy: 'deterministic', code: 'es_MX' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'José Pérez' }, { type: 'text', text: 'CDMX' }] }] });
    expect(new Set(mock.sent.map((s) => s.callback)).size).toBe(5);
    expect(mock.sent.every((s) => /^whatzme:\d+$/.test(s.callback ?? ''))).toBe(true);

    // Receipts as Meta sends them: sent → delivered → read, signed with the app secret, priced per message.
    const us = mock.sent.find((s) => s.to === '14157342290')!;
    const mx = mock.sent.filter((s) => s !== us);
    const status = (s: GraphMock['sent'][number], state: string, extra: object = {}) => ({
      id: s.id,
      status: state,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: s.to,
      biz_opaque_callback_data: s.callback,
      ...(state === 'failed' ? {} : { pricing: { billable: true, pricing_model: 'PMP', category: 'marketing' } }),
      ...extra,
    });
    const signed = async (value: Record<string, unknown>) => {
      const body = webhookBody(ACCOUNT, value);
      return post(hooks!.url, body, metaSignature(body, APP_SECRET));
    };
    for (const state of ['sent', 'delivered', 'read']) expect(await signed({ statuses: mx.map((s) => status(s, state)) })).toBe(200);
    // Meta retries a delivery until it gets a 200: the same one again changes nothing.
    expect(await signed({ statuses: mx.map((s) => status(s, 'delivered')) })).toBe(200);
    // The US number is not on WhatsApp: Meta says so later, in a failed status (131026).
    expect(await signed({ statuses: [status(us, 'failed', { errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } }] })] })).toBe(200);
    const read = await until(() => t!.call<Progress>('campaigns.progress', { id: created.id }), (p) => p.counts.read === 4 && p.counts.failed === 2);
    expect(read.counts).toMatchObject({ read: 4, sent: 0, delivered: 0, failed: 2 });
    const report = await t.call<Report>('reports.get', { id: created.id });
    expect(report.failedBy).toEqual({ cloud_template: 1, not_on_whatsapp: 1 });
    expect(report.cost).toEqual({ delivered: 4, total: 0.146, byCategory: { MARKETING: 0.146 }, asOf: '2026-01-01' });
    const usContact = (await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 5, search: '4157342290' })).rows[0];
    expect(usContact?.waStatus).toBe('not_on_whatsapp');

    // A reply from WhatsApp (Mexico's old "521" form of the number, as users of Cloud API libraries meet it:
    // david-lev/pywa#155, evolution-foundation/evolution-api#447): "BAJA" opts José out.
    const reply = {
      contacts: [{ profile: { name: 'José' }, wa_id: '5215512345678' }],
      messages: [{ from: '5215512345678', id: 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBDMEE', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'BAJA' } }],
    };
    const replyBody = webhookBody(ACCOUNT, reply);
    // Unsigned, then signed with another secret: refused, and nothing is recorded.
    expect(await post(hooks.url, replyBody)).toBe(401);
    expect(await post(hooks.url, replyBody, metaSignature(replyBody, 'ffffffffffffffffffffffffffffffff'))).toBe(401);
    expect(await post(hooks.url, replyBody.replace('BAJA', 'Hola'), metaSignature(replyBody, APP_SECRET))).toBe(401);
    expect((await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 5, search: 'José Pérez' })).rows[0]?.optedOut).toBe(false);
    expect(await post(hooks.url, replyBody, metaSignature(replyBody, APP_SECRET))).toBe(200);
    const jose2 = await until(() => t!.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 5, search: 'José Pérez' }), (r) => r.rows[0]?.optedOut === true);
    expect(jose2.rows[0]?.optedOut).toBe(true);
    const inbox = await t.call<{ rows: { body: string; optOut: boolean; campaignName: string | null }[] }>('inbox.list', { campaignId: null, numberId: null, show: 'all', offset: 0, limit: 10 });
    expect(inbox.rows).toEqual([expect.objectContaining({ body: 'BAJA', optOut: true, campaignName: 'Pan dulce' })]);
    expect((await t.call<Report>('reports.get', { id: created.id })).optedOut).toBe(1);
    // The confirmation of the opt-out is free text, inside the 24 hours the person's message opened.
    const confirmation = await until(async () => mock!.requests.find((r) => (r.body as { type?: string } | undefined)?.type === 'text'), (r) => r !== undefined);
    expect(confirmation?.body).toMatchObject({ to: '5215512345678', text: { body: 'Listo, ya no recibirás más mensajes de nosotros. Gracias.' } });

    // One history for a contact whichever number wrote: a campaign from a linked phone to the same list leaves out
    // José (opted out by his reply to the Cloud number), the three others it wrote to today, and the US number Meta
    // said is not on WhatsApp; only the one whose template Meta refused (never sent) is left to send.
    const phone = await t.call<NumberView>('numbers.add', { kind: 'demo', label: 'Teléfono' });
    const phoneInput = { ...input(null), numberIds: [phone.id], body: 'Hola {{nombre}}, te saluda Luis de La Espiga. Si no deseas recibir más mensajes, responde BAJA.' };
    const phoneEstimate = await t.call<Estimate>('campaigns.estimate', phoneInput);
    expect(phoneEstimate.skipped).toMatchObject({ opted_out: 1, recent_24h: 3, not_on_whatsapp: 1 });
    expect(phoneEstimate.toSend).toBe(1);
    expect(phoneEstimate.cost).toBeNull();
    await expect(t.call('campaigns.create', { ...phoneInput, numberIds: [phone.id, added.id] })).rejects.toMatchObject({ code: 'cloud_mixed_numbers' });

    // Every request the app made is one Meta's spec describes, with a body its schema accepts; the mock's own
    // answers fit the spec too.
    expect(mock.requests.length).toBeGreaterThanOrEqual(9);
    expect(mock.requests.filter((r) => !r.resumable && !r.check.valid).map((r) => `${r.method} ${r.path}: ${r.check.errors.join('; ')}`)).toEqual([]);
    expect(mock.requests.map((r) => r.check.operations).flat()).toEqual(expect.arrayContaining(['sendMessage', 'getPhoneNumberById', 'getTemplateByNameDefaultFields']));
    expect(mock.badResponses).toEqual([]);
  }, 60_000);
});
