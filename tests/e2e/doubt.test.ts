import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignView } from '../../shared/campaigns';
import type { ContactList } from '../../shared/contacts';
import type { NumberView } from '../../shared/numbers';
import { request } from '../helpers/http';
import { TESTDATA } from '../helpers/paths';
import { suiteTempDir } from '../helpers/temp-dir';
import { until as waitUntil } from '../helpers/until';
import { launchBrowser, screenshot } from './support/browser';
import { startWebApp, type WebApp } from './support/web-app';
import { ShellPage } from './pages/shell-page';

const dataDir = suiteTempDir();
let web: WebApp | undefined;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
afterAll(async () => {
  await web?.stop();
  await browser?.close();
});

async function api<T>(app: WebApp, name: string, input: unknown, body?: Buffer): Promise<T> {
  const token = new URL(app.url).searchParams.get('token') ?? '';
  const reply = await request(app.port, {
    method: 'POST',
    path: body ? `/api/upload?name=${encodeURIComponent(name)}` : `/api/${name}`,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/octet-stream' } : {}) },
    body: body ?? JSON.stringify(input),
  });
  const parsed = reply.json() as { ok: boolean; value: T };
  if (!parsed.ok) throw new Error(reply.body);
  return parsed.value;
}

/** This file's waits are long (a whole campaign in real time) and ask every 250 ms. */
const until = <T>(what: () => Promise<T>, ok: (value: T) => boolean, ms = 60_000) => waitUntil(what, ok, ms, 250);

/** A campaign through the API (the wizard has its own test). */
function createCampaign(app: WebApp, listId: number, numberId: string): Promise<CampaignView> {
  return api<CampaignView>(app, 'campaigns.create', {
    name: 'Aviso',
    templateId: null,
    body: 'Hola {{nombre}}, te saluda Luis de La Espiga. Si no deseas más mensajes, responde CANCELAR',
    mediaId: null,
    includeListIds: [listId],
    excludeListIds: [],
    numberIds: [numberId],
    settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
  });
}

describe('a send in doubt, in Chromium', () => {
  it('is listed in the live view after a restart, and "it did not arrive" asks once more and counts it', async () => {
    // A finished campaign, made through the API (the wizard has its own test).
    web = await startWebApp(dataDir);
    const number = await api<NumberView>(web, 'numbers.add', { kind: 'demo', label: 'Tienda' });
    await until(() => api<NumberView[]>(web!, 'numbers.list', {}), (list) => list[0]?.state === 'qr');
    await api(web, 'numbers.simulateScan', { id: number.id });
    const { uploadId } = await api<{ uploadId: string }>(web, 'clientes.csv', null, fs.readFileSync(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv')));
    await api(web, 'contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX', list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
    const [list] = await until(() => api<ContactList[]>(web!, 'lists.list', {}), (lists) => (lists[0]?.count ?? 0) > 0);
    const campaign = await createCampaign(web, list!.id, number.id);
    await api(web, 'campaigns.launch', { id: campaign.id });
    await until(() => api<CampaignView>(web!, 'campaigns.get', { id: campaign.id }), (c) => c.state === 'completed', 90_000);
    await web.stop();

    // What recovery leaves when WhatsApp could not say whether a message went out.
    const db = new Database(path.join(dataDir, 'whatzme.db'));
    const doubtful = db.prepare("SELECT id, name FROM sends WHERE campaign_id = ? AND state IN ('sent', 'delivered', 'read') ORDER BY id LIMIT 1").get(campaign.id) as { id: number; name: string };
    db.prepare("UPDATE sends SET state = 'in_doubt', reason = 'number_lost' WHERE id = ?").run(doubtful.id);
    db.close();

    web = await startWebApp(dataDir);
    browser = await launchBrowser();
    const page = browser.page;
    await new ShellPage(page).open(web.url);
    await page.goto(`${web.origin}/#/campanas/${campaign.id}`);
    const row = page.getByTestId('doubt-row');
    await row.waitFor();
    expect(await row.innerText()).toContain(doubtful.name);
    expect(await row.innerText()).toContain('Se perdió el número que lo enviaba');
    expect(await page.getByTestId('count-in_doubt').locator('.figure-value').innerText()).toBe('1');
    const failedBefore = Number(await page.getByTestId('count-failed').locator('.figure-value').innerText());
    await screenshot(page, 'campaign-in-doubt');

    await row.getByTestId('doubt-not-received').click();
    expect(await row.innerText()).toContain('Quedará como no enviado');
    await row.getByTestId('doubt-confirm-not-received').click();
    await page.getByTestId('doubt-panel').waitFor({ state: 'detached' });
    expect(await page.getByTestId('count-in_doubt').locator('.figure-value').innerText()).toBe('0');
    expect(Number(await page.getByTestId('count-failed').locator('.figure-value').innerText())).toBe(failedBefore + 1);
  }, 150_000);

  it('a demo number told to meet the problem shows it: the send ends in doubt in the live view, never resent', async () => {
    const app = await startWebApp(suiteTempDir());
    try {
      const number = await api<NumberView>(app, 'numbers.add', { kind: 'demo', label: 'Tienda demo' });
      await until(() => api<NumberView[]>(app, 'numbers.list', {}), (list) => list[0]?.state === 'qr');
      await api(app, 'numbers.simulateScan', { id: number.id });
      const { uploadId } = await api<{ uploadId: string }>(app, 'clientes.csv', null, fs.readFileSync(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv')));
      await api(app, 'contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX', list: { name: 'Clientes' }, consent: { source: 'customers', agreed: true } });
      const [list] = await until(() => api<ContactList[]>(app, 'lists.list', {}), (lists) => (lists[0]?.count ?? 0) > 0);

      browser ??= await launchBrowser();
      const page = browser.page;
      await new ShellPage(page).open(app.url);
      await page.goto(`${app.origin}/#/numeros`);
      const card = page.getByRole('article', { name: 'Tienda demo' });
      await card.getByTestId('demo-faults').locator('summary').click();
      await card.getByTestId('demo-fault-select').selectOption('in_doubt_next');
      await card.getByTestId('demo-fault-run').click();
      expect(await card.getByTestId('demo-fault-explain').innerText()).toContain('en duda');
      // Twice: two sends of the campaign will meet it.
      await card.getByTestId('demo-fault-run').click();
      await screenshot(page, 'numbers-demo-fault');

      const campaign = await createCampaign(app, list!.id, number.id);
      await api(app, 'campaigns.launch', { id: campaign.id });
      const done = await until(() => api<CampaignView>(app, 'campaigns.get', { id: campaign.id }), (c) => c.state === 'completed', 90_000);
      expect(done.counts.in_doubt).toBe(2);
      await page.goto(`${app.origin}/#/campanas/${campaign.id}`);
      const row = page.getByTestId('doubt-row');
      await expect.poll(() => row.count()).toBe(2);
      expect(await page.getByTestId('count-in_doubt').locator('.figure-value').innerText()).toBe('2');
      expect(await page.getByTestId('number-progress').count()).toBe(1);
      await screenshot(page, 'campaign-demo-in-doubt');
      // The user looked at the phone: it did arrive. Counted as sent, and the row leaves the list; nothing is resent.
      await row.first().getByTestId('doubt-received').click();
      await expect.poll(() => row.count()).toBe(1);
      // The other did not: the campaign is over, so the app says before the click that it stays unsent (#30 item 6).
      await row.getByTestId('doubt-not-received').click();
      expect(await row.innerText()).toContain('Quedará como no enviado (la campaña ya terminó)');
      await page.setViewportSize({ width: 1280, height: 720 });
      await screenshot(page, 'campaign-doubt-finished-1280x720');
      await page.setViewportSize({ width: 1280, height: 800 });
      const delivered = (await api<CampaignView>(app, 'campaigns.get', { id: campaign.id })).counts;
      await row.getByTestId('doubt-confirm-not-received').click();
      await page.getByTestId('doubt-panel').waitFor({ state: 'detached' });
      const settled = await api<CampaignView>(app, 'campaigns.get', { id: campaign.id });
      expect(settled.counts.in_doubt).toBe(0);
      expect(settled.counts.failed).toBe(done.counts.failed + 1);
      expect(settled.state).toBe('completed');
      expect(settled.counts.sent + settled.counts.delivered + settled.counts.read).toBe(done.counts.sent + done.counts.delivered + done.counts.read + 1);
      expect(delivered.sent + delivered.delivered + delivered.read).toBe(settled.counts.sent + settled.counts.delivered + settled.counts.read);
      // The live view says so in its figures.
      expect(await page.getByTestId('count-failed').locator('.figure-value').innerText()).toBe(String(settled.counts.failed));
    } finally {
      await app.stop();
    }
  }, 150_000);
});
