import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../shared/campaigns';
import { STOP_PROMOTIONS_PAYLOAD } from '../../shared/cloud';
import type { Chat } from '../../shared/conversations';
import type { NumberView } from '../../shared/numbers';
import type { Template } from '../../shared/messages';
import { TEST_META, metaSignature, webhookBody } from '../helpers/graph-mock';
import { TESTDATA } from '../helpers/paths';
import { importedList, until } from './support/api';
import { cloudSuite } from './support/cloud-suite';
import { screenshot } from './support/browser';
import { pageProblems } from './support/page-checks';
import { CampaignPages } from './pages/campaign-pages';

/**
 * The Cloud API as Meta serves it in 2026 (#36), walked in Chromium at 1280×720: the portfolio's limit on the number;
 * a template with buttons and "Detener promociones" drafted from a saved message with its preview, approved, sent
 * from the wizard with a link's end per contact and a code; a "Stop promotions" tap shown on the chat; someone who
 * wrote with no phone (a username) answered by their id; and, once the 24-hour window has closed, the composer
 * offering an approved template. Graph API: the mock on Meta's OpenAPI file; webhooks signed here.
 */
const ACCOUNT = TEST_META.account;
const cloud = cloudSuite({
  verifiedName: 'Panadería La Espiga',
  limit: 'TIER_2K',
  portfolio: { id: '880011223344556', name: 'Panadería La Espiga SA de CV' },
  templates: [{ name: 'seguimiento', language: 'es_MX', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola {{1}}, ¿pudiste recoger tu pedido? Responde y te ayudamos.' }] }],
  appId: '634974688087057',
});
const { suite, api } = cloud;

/** The template form opened on a saved message, with its name, its one example and a first quick reply. */
async function draftFrom(page: Page, message: string, name: string, example: string, reply: string): Promise<void> {
  await page.getByTestId('cloud-new-template').click();
  await page.getByTestId('cloud-draft-message').selectOption({ label: message });
  await page.getByTestId('cloud-draft-name').fill(name);
  await page.getByTestId('cloud-draft-example').fill(example);
  await page.getByTestId('cloud-draft-add-reply').click();
  await page.getByTestId('cloud-draft-button-text').fill(reply);
}

async function webhook(value: Record<string, unknown>): Promise<void> {
  const body = webhookBody(ACCOUNT, value);
  const response = await fetch(cloud.webhookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': metaSignature(body, TEST_META.appSecret) }, body });
  expect(response.status).toBe(200);
}

const now = (hoursAgo = 0) => String(Math.floor(Date.now() / 1000 - hoursAgo * 3600));

describe('the Cloud API in 2026, in Chromium', () => {
  it("shows the portfolio's limit, drafts a template with buttons, sends it, honours Stop promotions, answers someone with no phone, and offers a template after 24 hours", async () => {
    const page = suite.browser.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    const number = await api<NumberView>('cloud.add', { phoneNumberId: ACCOUNT.phoneNumberId, wabaId: ACCOUNT.wabaId, token: TEST_META.token, appSecret: TEST_META.appSecret });
    await until(() => api<NumberView[]>('numbers.list'), (list) => list.some((n) => n.id === number.id && n.state === 'connected'));
    await api<Template>('templates.save', { name: 'Pan dulce', body: 'Hola {{nombre}}, esta semana 20% en pan dulce. Pide en línea con tu código.', mediaId: null });

    // The limit is the portfolio's, from today's field.
    await page.getByTestId('nav-numbers').click();
    const panel = page.getByTestId('cloud-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('cloud-tier').innerText()).toBe('2,000 personas distintas cada 24 horas');
    expect(await panel.getByTestId('cloud-portfolio').innerText()).toContain('Panadería La Espiga SA de CV');
    expect(await panel.getByTestId('cloud-portfolio').innerText()).toContain('lo comparten todos sus números');

    // A template with buttons from the saved message: the preview shows them as WhatsApp will.
    await draftFrom(page, 'Pan dulce', 'pan_dulce_botones', 'José', 'Quiero pedir');
    await page.getByTestId('cloud-draft-add-url').click();
    await page.getByTestId('cloud-draft-button-text').nth(1).fill('Pedir en línea');
    await page.getByTestId('cloud-draft-button-url').fill('https://laespiga.mx/pedido/{{1}}');
    await page.getByTestId('cloud-draft-button-example').fill('5512345678');
    await page.getByTestId('cloud-draft-add-code').click();
    await page.getByTestId('cloud-draft-button-code').fill('PAN20');
    expect(await page.getByTestId('cloud-draft-stop').isChecked()).toBe(true);
    expect(await page.getByTestId('cloud-draft-buttons').getByTestId('cloud-draft-button').count()).toBe(3);
    const preview = page.getByTestId('cloud-draft-preview');
    expect(await preview.getByTestId('template-buttons').getByTestId('template-button').allInnerTexts()).toEqual(['↩ Quiero pedir', '↩ Detener promociones', '↗ Pedir en línea', '❐ Copiar código']);
    expect(await preview.innerText()).toContain('Hola José, esta semana 20% en pan dulce');
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, 'cloud-2026-draft');
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });
    await page.getByTestId('cloud-draft-submit').click();
    await page.locator('[data-testid="cloud-template"][data-status="PENDING"]').waitFor();
    const submitted = cloud.mock().requests.find((r) => r.method === 'POST' && r.path.endsWith('/message_templates'))?.body as { components: { type: string; buttons?: { type: string }[] }[] };
    expect(submitted.components.find((c) => c.type === 'BUTTONS')?.buttons?.map((b) => b.type)).toEqual(['QUICK_REPLY', 'QUICK_REPLY', 'URL', 'COPY_CODE']);

    // Meta approves it.
    cloud.mock().review('pan_dulce_botones', 'APPROVED');
    await panel.getByTestId('cloud-sync').click();
    const approved = page.locator('[data-testid="cloud-template"][data-status="APPROVED"]').filter({ hasText: 'pan_dulce_botones' });
    await approved.waitFor();
    expect(await approved.innerText()).toContain('la app deja fuera de todo marketing a quien lo toque');
    await approved.scrollIntoViewIfNeeded();
    await screenshot(page, 'cloud-2026-number');

    // A carousel: two saved messages with a photo each become its cards, with the same button.
    const token = new URL(suite.web.url).searchParams.get('token') ?? '';
    const photo = async (file: string) => {
      const uploaded = await fetch(`http://127.0.0.1:${suite.web.port}/api/upload?name=${file}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: fs.readFileSync(path.join(TESTDATA, 'media', file)) });
      return api<{ id: string }>('media.add', { uploadId: ((await uploaded.json()) as { value: { uploadId: string } }).value.uploadId });
    };
    await api<Template>('templates.save', { name: 'Roscas', body: 'Roscas de reyes desde $250.', mediaId: (await photo('promo.jpg')).id });
    await api<Template>('templates.save', { name: 'Conchas', body: 'Conchas recién salidas.', mediaId: (await photo('logo.png')).id });
    await page.reload();
    await page.getByTestId('cloud-panel').waitFor();
    await draftFrom(page, 'Pan dulce', 'carrusel_semana', 'Ana', 'Lo quiero');
    const cardsField = page.getByTestId('cloud-draft-cards');
    await cardsField.getByTestId('cloud-draft-card-add').click();
    await cardsField.getByTestId('cloud-draft-card-add').click();
    await cardsField.getByTestId('cloud-draft-card').nth(0).selectOption({ label: 'Roscas' });
    await cardsField.getByTestId('cloud-draft-card').nth(1).selectOption({ label: 'Conchas' });
    await page.getByTestId('cloud-draft-app-id').fill('634974688087057');
    const cards = page.getByTestId('cloud-draft-preview').getByTestId('template-cards');
    await expect.poll(() => cards.getByTestId('template-card').count()).toBe(2);
    expect(await cards.getByTestId('template-card').first().innerText()).toContain('Roscas de reyes desde $250.');
    await cards.scrollIntoViewIfNeeded();
    await screenshot(page, 'cloud-2026-carousel-draft');
    await page.getByTestId('cloud-draft-submit').click();
    await page.locator('[data-testid="cloud-template"][data-status="PENDING"]').filter({ hasText: 'carrusel_semana' }).waitFor();
    cloud.mock().review('carrusel_semana', 'APPROVED');
    await page.getByTestId('cloud-panel').getByTestId('cloud-sync').click();
    const carousel = page.locator('[data-testid="cloud-template"][data-status="APPROVED"]').filter({ hasText: 'carrusel_semana' });
    await carousel.waitFor();
    expect(await carousel.getByTestId('template-card').count()).toBe(2);

    // From the wizard: the link's end is each contact's phone, the code the same for all.
    const list = await importedList(suite.web, api, path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'), 'Clientes 2026', 6);
    const wizard = new CampaignPages(page);
    await wizard.startWizard();
    await page.getByTestId('campaign-name').fill('Pan dulce con botones');
    await wizard.next();
    await page.getByTestId('channel-cloud').check();
    // The carousel asks for a photo per card before the wizard goes on.
    await page.getByTestId('cloud-template-select').selectOption({ label: 'carrusel_semana (es_MX, Marketing)' });
    await page.getByTestId('cloud-template-text').getByTestId('template-cards').waitFor();
    expect(await page.locator('[data-testid="wizard-next"]').isDisabled()).toBe(true);
    await page.getByTestId('cloud-card-file').nth(0).setInputFiles(path.join(TESTDATA, 'media', 'promo.jpg'));
    await page.getByTestId('cloud-card-file').nth(1).setInputFiles(path.join(TESTDATA, 'media', 'logo.png'));
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await page.getByTestId('cloud-template-select').selectOption({ label: 'pan_dulce_botones (es_MX, Marketing)' });
    await expect.poll(() => page.getByTestId('cloud-param').inputValue()).toBe('nombre');
    expect(await page.locator('[data-testid="wizard-next"]').isDisabled()).toBe(true);
    await page.getByTestId('cloud-button-field').selectOption('telefono');
    await page.getByTestId('cloud-button-text').fill('PAN20');
    expect(await page.getByTestId('cloud-template-text').getByTestId('template-button').count()).toBe(4);
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await screenshot(page, 'cloud-2026-wizard');
    await wizard.next();
    await page.locator(`[data-list-name="${list.name}"]`).check();
    await wizard.next();
    await page.getByTestId('campaign-number').check();
    await wizard.next();
    await wizard.next();
    await wizard.next();
    await page.getByTestId('campaign-summary').waitFor();
    const accept = page.getByTestId('risk-accept');
    if (await accept.count()) await accept.check();
    await page.getByTestId('launch').click();
    await page.getByTestId('page-campaign').waitFor();
    const id = Number(page.url().split('/').pop());
    await until(() => api<Progress>('campaigns.progress', { id }), (p) => p.counts.queued === 0 && p.counts.sending === 0, 30_000);
    const jose = cloud.mock().sent.find((s) => s.to === '525512345678' && s.template?.name === 'pan_dulce_botones')!;
    expect(jose.template?.components?.filter((c) => c.type === 'button').map((c) => [c.sub_type, c.index, c.parameters?.[0]])).toEqual([
      ['quick_reply', '1', { type: 'payload', payload: STOP_PROMOTIONS_PAYLOAD }],
      ['url', '2', { type: 'text', text: '+525512345678' }],
      ['copy_code', '3', { type: 'coupon_code', coupon_code: 'PAN20' }],
    ]);

    // José taps "Detener promociones"; Ana, who hides her phone behind a username, writes; Luis wrote 26 hours ago.
    const ana = 'MX.9988776655443322';
    await webhook({
      contacts: [{ profile: { name: 'José' }, wa_id: '5215512345678' }, { profile: { name: 'Ana', username: '@ana.sin.tel' }, user_id: ana }],
      messages: [
        { context: { from: '525599990000', id: jose.id }, from: '5215512345678', id: 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBTVE9Q', timestamp: now(), type: 'button', button: { text: 'Detener promociones', payload: STOP_PROMOTIONS_PAYLOAD } },
        { from_user_id: ana, id: 'wamid.HBgLQU5BU0lOVEVMDFUCABIYFjNFQjBDQ0ND', timestamp: now(), type: 'text', text: { body: 'Buenas, ¿tienen conchas?' } },
      ],
    });
    await webhook({
      contacts: [{ profile: { name: 'Luis' }, wa_id: '5213312345678' }],
      messages: [{ from: '5213312345678', id: 'wamid.HBgNNTIxMzMxMjM0NTY3OBUCABIYFjNFQjBMVUlT', timestamp: now(26), type: 'text', text: { body: '¿Abren el domingo?' } }],
    });

    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('page-inbox').waitFor();
    await expect.poll(() => page.getByTestId('reply').count()).toBe(3);
    const joseRow = page.locator('[data-testid="reply"][data-phone="+525512345678"]');
    await joseRow.getByTestId('open-chat').click();
    const chat = page.getByTestId('chat');
    await chat.getByTestId('chat-no-promotions').waitFor();
    expect(await chat.getByTestId('chat-no-promotions').innerText()).toBe('Pidió no recibir promociones');
    expect(await chat.getByTestId('chat-window').getAttribute('data-open')).toBe('true');
    await screenshot(page, 'cloud-2026-stop-promotions');

    // Ana: no phone, shown as such; answered with free text by her id.
    const anaRow = page.locator(`[data-testid="reply"][data-phone="${ana}"]`);
    expect(await anaRow.innerText()).toContain('Sin teléfono (usuario de WhatsApp)');
    await anaRow.getByTestId('open-chat').click();
    await expect.poll(() => page.getByTestId('chat').getAttribute('data-phone')).toBe(ana);
    expect(await chat.getByTestId('chat-username').innerText()).toContain('@ana.sin.tel');
    await chat.getByTestId('chat-input').fill('Sí, recién salidas.');
    await chat.getByTestId('chat-send').click();
    const toAna = await until(async () => cloud.mock().sent.find((s) => s.to === ana), (s) => s !== undefined);
    expect(toAna).toMatchObject({ byRecipient: true, type: 'text', text: 'Sí, recién salidas.' });
    await screenshot(page, 'cloud-2026-no-phone');
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });

    // Luis, 26 hours on: no free text; the composer offers an approved template, with his name in {{1}}.
    await page.locator('[data-testid="reply"][data-phone="+523312345678"]').getByTestId('open-chat').click();
    await expect.poll(() => page.getByTestId('chat').getAttribute('data-phone')).toBe('+523312345678');
    expect(await chat.getByTestId('chat-window').innerText()).toContain('solo puedes enviarle una plantilla aprobada');
    expect(await chat.getByTestId('chat-input').count()).toBe(0);
    const offer = chat.getByTestId('chat-template-offer');
    await offer.getByTestId('chat-template-pick').selectOption({ label: 'seguimiento (Utilidad)' });
    await offer.getByTestId('chat-template-value').fill('Luis');
    expect(await offer.getByTestId('template-bubble').innerText()).toContain('Hola Luis, ¿pudiste recoger tu pedido?');
    await screenshot(page, 'cloud-2026-template-offer');
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });
    await offer.getByTestId('chat-template-send').click();
    const toLuis = await until(async () => cloud.mock().sent.find((s) => s.template?.name === 'seguimiento'), (s) => s !== undefined);
    expect(toLuis).toMatchObject({ to: '5213312345678', template: { components: [{ type: 'body', parameters: [{ type: 'text', text: 'Luis' }] }] } });
    await until(() => api<Chat>('conversations.get', { phone: '+523312345678' }), (c) => c.items.some((i) => i.kind === 'answer' && i.text.startsWith('Hola Luis')));

    // The same pages at the other common laptop size.
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.getByTestId('nav-numbers').click();
    await page.getByTestId('cloud-panel').waitFor();
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });
    await screenshot(page, 'cloud-2026-number-1366');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(cloud.mock().requests.filter((r) => !r.resumable && !r.check.valid).map((r) => `${r.method} ${r.path}: ${r.check.errors.join('; ')}`)).toEqual([]);
    expect(cloud.mock().badResponses).toEqual([]);
  });
});
