import { freePort } from '../helpers/free-port';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiMessage, WebhookDelivery } from '../../shared/api';
import type { Settings } from '../../shared/types';
import { webhookReceiver } from '../helpers/webhook-receiver';
import { apiOf, linkedDemoNumber, until } from './support/api';
import { screenshot } from './support/browser';
import { pageProblems } from './support/page-checks';
import { webAppSuite } from './support/suite';

const suite = webAppSuite(['--demo', '--demo-failure-rate', '0']);
const api = apiOf(() => suite.web);
let receiver: Awaited<ReturnType<typeof webhookReceiver>> | undefined;
afterAll(async () => {
  await receiver?.close();
});


describe('Automatización in Chromium: keys, webhooks and the sends of the user\'s systems', () => {
  it('makes a key shown once, sends with it, sees the send live, registers a webhook that is tested, and revokes the key', async () => {
    const page = suite.browser.page;
    await linkedDemoNumber(api, 'Tienda');
    await page.getByTestId('nav-settings').click();
    const automation = page.getByTestId('settings-automation');
    await automation.waitFor();

    // A key for the online shop: shown once, in full; afterwards only its first characters.
    await page.getByTestId('api-key-name').fill('Tienda en línea');
    await page.getByTestId('api-key-scope').selectOption('send');
    await page.getByTestId('api-key-create').click();
    const secret = (await page.getByTestId('api-key-secret-value').innerText()).trim();
    expect(await page.getByTestId('api-key-secret').innerText()).toContain('Cópiala ahora: no se vuelve a mostrar.');
    expect(secret).toMatch(/^wzm_[\w-]{20,}$/);
    await screenshot(page, 'automation-key-shown-once');
    await page.getByTestId('api-key-secret-done').click();
    await page.getByTestId('api-key-secret').waitFor({ state: 'detached' });
    const key = page.getByTestId('api-keys').getByTestId('api-key').first();
    expect(await key.innerText()).toContain('Tienda en línea');
    expect(await key.innerText()).not.toContain(secret);
    expect(await page.getByTestId('api-key-list').innerText()).toContain('Enviar y ver estados');

    // A webhook to the shop's system on this machine, tested with one click.
    receiver = await webhookReceiver();
    // An address of the local network is refused in words until the user says it is theirs; plain http says "https".
    await page.getByTestId('webhook-url').fill('http://sistema.example/hook');
    await page.getByTestId('webhook-create').click();
    await expect.poll(() => page.getByTestId('webhooks').innerText()).toContain('debe empezar con https://');
    await page.getByTestId('webhook-url').fill('https://192.168.1.20/hook');
    await page.getByTestId('webhook-create').click();
    // The checkbox's own label is always on screen: wait for the refusal's words, which come with the answer.
    await expect.poll(() => page.getByTestId('webhooks').innerText()).toContain('de tu red local');
    expect(await page.getByTestId('webhooks').innerText()).toContain('marca «Está en mi red local»');
    await page.getByTestId('webhook-lan').check();
    await page.getByTestId('webhook-create').click();
    await page.getByTestId('webhook-secret-done').click();
    await expect.poll(() => page.getByTestId('webhook-list').innerText()).toContain('https://192.168.1.20/hook');
    await page.getByTestId('webhook').first().getByTestId('webhook-remove').click();
    await expect.poll(() => page.getByTestId('webhook').count()).toBe(0);
    await page.getByTestId('webhook-url').fill(receiver.url);
    await page.getByTestId('webhook-event-campaign.finished').click();
    await expect.poll(() => page.getByTestId('webhook-event-campaign.finished').isChecked()).toBe(true);
    await page.getByTestId('webhook-event-number.state').isVisible();
    await page.getByTestId('webhook-event-message.status').isVisible();
    await page.getByTestId('webhook-event-message.received').isVisible();
    await page.getByTestId('webhook-event-contact.opted_out').isVisible();
    await page.getByTestId('webhook-create').click();
    // A secreto is copied as "Cópialo" (a clave, above, as "Cópiala").
    expect(await page.getByTestId('webhook-secret').innerText()).toContain('Cópialo ahora: no se vuelve a mostrar.');
    receiver.setSecret((await page.getByTestId('webhook-secret-value').innerText()).trim());
    await page.getByTestId('webhook-secret-done').click();
    expect(await page.getByTestId('webhook-list').innerText()).toContain(receiver.url);
    await page.getByTestId('webhook').first().getByTestId('webhook-ping').click();
    const ping = await receiver.waitFor((r) => r.event.type === 'ping');
    expect(ping.verified).toBe(true);
    await page.getByTestId('webhook-deliveries').waitFor();
    const delivery = page.getByTestId('webhook-delivery').first();
    await expect.poll(() => delivery.getAttribute('data-state'), { timeout: 10_000 }).toBe('delivered');
    expect(await delivery.getByTestId('webhook-attempts').innerText()).toContain('HTTP 200');

    // The shop's system sends an order confirmation with the key; the API page shows it, live, apart from campaigns.
    const send = await fetch(`${suite.web.origin}/api/messages.send`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'pedido-88', phone: '55 1234 5678', text: 'Hola, tu pedido 88 va en camino.' }),
    });
    expect(send.status).toBe(200);
    await page.getByTestId('nav-api').click();
    await page.getByTestId('page-api').waitFor();
    expect(await page.getByTestId('api-connect').isVisible()).toBe(true);
    expect(await page.getByTestId('api-address').innerText()).toBe(suite.web.origin);
    expect(await page.getByTestId('api-curl').innerText()).toContain(`${suite.web.origin}/api/messages.send`);
    await page.getByTestId('api-sends').waitFor();
    const row = page.getByTestId('api-send').first();
    expect(await row.innerText()).toContain('tu pedido 88');
    expect(await row.innerText()).toContain('+52 55 1234 5678');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toMatch(/delivered|read/);
    const webhookSeen = await receiver.waitFor((r) => r.event.type === 'message.status' && r.event.data.state === 'delivered');
    expect(webhookSeen.verified).toBe(true);
    await page.getByTestId('api-filter').selectOption('failed');
    await page.getByTestId('api-empty').waitFor();
    await page.getByTestId('api-filter').selectOption('all');
    await page.getByTestId('api-send').first().waitFor();
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });
    await screenshot(page, 'automation-api-sends');

    // Revoked: the shop's key no longer works; the log of requests names the key and the command, never the key itself.
    await page.getByTestId('api-to-settings').click();
    await page.getByTestId('api-key-revoke').first().click();
    await page.getByTestId('api-key-revoke-yes').click();
    await expect.poll(() => page.getByTestId('api-key').first().getAttribute('data-revoked')).toBe('true');
    const refused = await fetch(`${suite.web.origin}/api/messages.list`, { method: 'POST', headers: { Authorization: `Bearer ${secret}` }, body: '{}' });
    expect(refused.status).toBe(401);
    await page.getByTestId('nav-home').click();
    await page.getByTestId('nav-settings').click();
    const log = page.getByTestId('api-log');
    await log.getByTestId('api-log-row').first().waitFor();
    expect(await log.innerText()).toContain('messages.send');
    expect(await log.innerText()).not.toContain(secret);
    expect((await api<ApiMessage[] | { rows: ApiMessage[] }>('messages.list', {}) as { rows: ApiMessage[] }).rows).toHaveLength(1);
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });
    await automation.screenshot({ path: 'test-results/automation-settings.png' });
  });

  it('sets the links\' size limit with the 1 MB advice, and opens the API on the network only with the plain warning', async () => {
    const page = suite.browser.page;
    await page.getByTestId('nav-settings').click();
    // The support zip, from the same page: a download the user can attach as it is.
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('diagnostics-save').click()]);
    expect(zip.suggestedFilename()).toMatch(/^whatzme-diagnostico-\d{4}-\d{2}-\d{2}\.zip$/);
    const saved = `${await zip.path()}`;
    expect((await import('node:fs')).readFileSync(saved).subarray(0, 2).toString()).toBe('PK');
    const limits = page.getByTestId('media-link-limits');
    expect(await limits.innerText()).toContain('1 MB');
    expect(await page.getByTestId('media-link-size').inputValue()).toBe('16');
    await page.getByTestId('media-link-size').fill('5');
    await page.getByTestId('media-link-timeout').fill('30');
    await limits.locator('button[type="submit"]').click();
    await expect.poll(async () => (await api<Settings>('settings.get')).mediaLinkLimitMb).toBe(5);
    expect((await api<Settings>('settings.get')).mediaLinkTimeoutS).toBe(30);

    // Off by default; on, it says what it exposes before anything listens.
    expect(await page.getByTestId('api-network-warning').count()).toBe(0);
    await page.getByTestId('api-network-on').click();
    await expect.poll(() => page.getByTestId('api-network-on').isChecked()).toBe(true);
    expect(await page.getByTestId('api-network-warning').innerText()).toContain('clave');
    expect((await api<Settings>('settings.get')).apiNetwork).toBeNull();
    const port = await freePort();
    await page.getByTestId('api-network-address').fill('127.0.0.2');
    await page.getByTestId('api-network-port').fill(String(port));
    await page.getByTestId('api-network-save').click();
    const status = page.getByTestId('api-network-status');
    await status.waitFor();
    expect(await status.innerText()).toContain(`http://127.0.0.2:${port}`);
    // The app's own token is no good there.
    const token = new URL(suite.web.url).searchParams.get('token');
    expect((await fetch(`http://127.0.0.2:${port}/api/messages.list`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{}' })).status).toBe(401);
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });
    await page.getByTestId('api-network').screenshot({ path: 'test-results/automation-network.png' });
    // An address this computer does not have is said in words.
    await page.getByTestId('api-network-address').fill('203.0.113.9');
    await page.getByTestId('api-network-save').click();
    await page.getByTestId('api-network-error').waitFor();
    await page.getByTestId('api-network-on').click();
    await until(() => api<Settings>('settings.get'), (s) => s.apiNetwork === null);
    const deliveries = await api<WebhookDelivery[]>('webhooks.deliveries', { limit: 5 });
    expect(deliveries.length).toBeGreaterThan(0);

    // A webhook turned off gets nothing queued; removed, it is gone with its queue.
    const hook = page.getByTestId('webhook').first();
    await hook.getByTestId('webhook-toggle').click();
    await expect.poll(() => hook.getAttribute('data-active')).toBe('false');
    await hook.getByTestId('webhook-toggle').click();
    await expect.poll(() => hook.getAttribute('data-active')).toBe('true');
    await hook.getByTestId('webhook-remove').click();
    await page.getByTestId('webhook-list').waitFor({ state: 'detached' });
    expect(await api<unknown[]>('webhooks.list')).toEqual([]);
  });
});
