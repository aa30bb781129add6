import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignView, Progress } from '../../shared/campaigns';
import { contactsCsvIn } from '../helpers/contacts-csv';
import { request } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';
import { apiOf, importedList, linkedDemoNumber, until } from './support/api';
import { launchBrowser, screenshot } from './support/browser';
import { stoppedAfterEach } from './support/suite';
import { startWebApp, type WebApp } from './support/web-app';
import { ShellPage } from './pages/shell-page';

const track = stoppedAfterEach();

const BODY = 'Hola {{nombre}}, soy Luis de La Espiga: esta semana el pan dulce va 2x1. Si no quieres más mensajes, responde BAJA.';

async function downloadBackup(web: WebApp, url: string): Promise<string> {
  const token = new URL(web.url).searchParams.get('token') ?? '';
  const reply = await fetch(`http://127.0.0.1:${web.port}${url}`, { headers: { Authorization: `Bearer ${token}` } });
  const file = path.join(tempDir(), 'whatzme-respaldo.db');
  fs.writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
  return file;
}

describe('a backup restored on another computer (#29 item 3), as a user meets it', () => {
  it('says the campaign under way comes back paused, lists it after the restore, and the campaign asks before it sends', async () => {
    // The first computer: a campaign sending when the backup is taken.
    let web = track(await startWebApp(tempDir(), ['--demo', '--demo-failure-rate', '0']));
    let api = apiOf(() => web);
    const number = await linkedDemoNumber(api, 'Tienda Centro');
    const list = await importedList(web, api, contactsCsvIn(tempDir(), 40), 'Clientes', 40);
    const created = await api<CampaignView>('campaigns.create', {
      name: 'Pan dulce', templateId: null, body: BODY, mediaId: null, includeListIds: [list.id], excludeListIds: [], numberIds: [number.id],
      settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
    });
    await api('campaigns.launch', { id: created.id, confirmNoConsent: true });
    await until(() => api<Progress>('campaigns.progress', { id: created.id }), (p) => p.counts.sent + p.counts.delivered + p.counts.read >= 2, 60_000);
    await api('apiKeys.create', { name: 'Tienda en línea', scope: 'send' });
    await api('webhooks.create', { url: 'https://pedidos.example.com/whatzme', events: ['message.status'] });
    const backup = await downloadBackup(web, (await api<{ url: string }>('backup.create')).url);
    await web.stop();

    // The new computer, in Chromium.
    web = track(await startWebApp(tempDir(), ['--demo', '--demo-failure-rate', '0']));
    api = apiOf(() => web);
    const browser = track(await launchBrowser({ width: 1280, height: 720 }));
    const page = browser.page;
    await new ShellPage(page).open(web.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('restore-file').setInputFiles(backup);
    const unfinished = page.getByTestId('restore-unfinished');
    await unfinished.waitFor();
    expect(await unfinished.innerText()).toContain('volverán en pausa');
    await unfinished.scrollIntoViewIfNeeded();
    // The old computer's API key is offered, not brought back unasked.
    expect(await page.getByTestId('restore-access').innerText()).toContain('Clave «Tienda en línea» (Enviar y ver estados)');
    await screenshot(page, 'restore-elsewhere-question-1280');
    // The webhook is brought back: a backup holds no secret, so it gets a new one, shown once.
    await page.getByTestId('restore-access').getByText('pedidos.example.com').click();
    await page.getByTestId('restore-confirm').click();
    const secrets = page.getByTestId('restore-webhook-secrets');
    await secrets.waitFor();
    expect(await secrets.innerText()).toMatch(/https:\/\/pedidos\.example\.com\/whatzme: whsec_/);
    const held = page.getByTestId('restore-held');
    await held.waitFor();
    expect(await held.innerText()).toMatch(/Pan dulce: \d+ mensajes pendientes/);
    await screenshot(page, 'restore-elsewhere-held-1280');

    await held.getByRole('link').click();
    const reason = page.getByTestId('pause-reason');
    await reason.waitFor();
    expect(await reason.innerText()).toContain('Volvió en pausa de un respaldo');
    expect(await page.getByTestId('resume-confirm').count()).toBe(1);
    await screenshot(page, 'restore-elsewhere-campaign-1280');
    await page.setViewportSize({ width: 1366, height: 800 });
    await screenshot(page, 'restore-elsewhere-campaign-1366');
    expect((await api<CampaignView>('campaigns.get', { id: created.id })).state).toBe('paused');
    expect(await api('apiKeys.list')).toEqual([]);
    // Nothing goes out on this computer until the user says so.
    const token = new URL(web.url).searchParams.get('token') ?? '';
    const info = await request(web.port, { method: 'POST', path: '/api/campaigns.progress', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ id: created.id }) });
    expect((info.json() as { value: Progress }).value.needsConfirmation).toBe(true);
  });
});
