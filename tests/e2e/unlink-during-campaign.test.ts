import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignView } from '../../shared/campaigns';
import { TESTDATA } from '../helpers/paths';
import { screenshot } from './support/browser';
import { apiOf, importedList, linkedDemoNumber } from './support/api';
import { webAppSuite } from './support/suite';
import { CampaignPages } from './pages/campaign-pages';
import { NumbersPage } from './pages/numbers-page';

const suite = webAppSuite();
const api = apiOf(() => suite.web);

describe('unlinking a number while its campaign runs, in Chromium', () => {
  it('warns which campaign it sends first, then the campaign names it, asks before going on and says why it ends later', async () => {
    const page = suite.browser.page;
    const numbers = new NumbersPage(page);
    await numbers.open();
    const ids: string[] = [];
    for (const label of ['Tienda Centro', 'Tienda Norte']) ids.push((await linkedDemoNumber(api, label)).id);
    const list = await importedList(suite.web, api, path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'), 'Clientes', 6);
    // The careful pace (6–10 a minute): still running when the number goes.
    const campaign = await api<CampaignView>('campaigns.create', {
      name: 'Aviso de temporada', templateId: null, mediaId: null, includeListIds: [list.id], excludeListIds: [], numberIds: ids,
      body: 'Hola {{nombre|}}, te saluda Luis de La Espiga. Si no deseas recibir más mensajes, responde CANCELAR',
      settings: { pace: { preset: 'careful' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
    });
    await api('campaigns.launch', { id: campaign.id });

    await page.reload();
    const norte = numbers.card('Tienda Norte');
    await numbers.waitForState(norte, 'connected');
    await norte.getByTestId('unlink').click();
    const warning = norte.getByTestId('unlink-campaigns');
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(/^Este número envía «Aviso de temporada» \(\d por enviar\)\. Sus mensajes pendientes pasarán a tus otros números/);
    await screenshot(page, 'unlink-warning');
    await norte.getByTestId('confirm-unlink').click();
    await norte.waitFor({ state: 'detached' });

    const live = new CampaignPages(page);
    await page.goto(`${suite.web.origin}/#/campanas/${campaign.id}`);
    await live.waitForState('paused');
    const reason = page.getByTestId('pause-reason');
    expect(await reason.innerText()).toContain('«Tienda Norte» dejó de estar disponible');
    const lostRow = page.getByTestId('number-progress').filter({ hasText: 'Tienda Norte' });
    expect(await lostRow.innerText()).toContain('fuera de la campaña');
    expect(await page.locator('body').innerText()).not.toMatch(/n_[0-9a-f]{6,}|logged_out/);
    await page.getByTestId('resume-confirm').click();
    await live.waitForState('running');
    const later = page.getByTestId('fewer-numbers');
    await later.waitFor();
    expect(await later.innerText()).toBe('Termina más tarde de lo previsto: ahora envía con 1 número porque ya no cuenta con «Tienda Norte».');
    expect(await page.getByTestId('campaign-events').innerText()).toContain('Desvinculado');
    await page.getByTestId('campaign-preview').getByTestId('preview-item').waitFor();
    await screenshot(page, 'unlink-campaign-live');
    await page.getByTestId('cancel').click();
    await page.getByTestId('confirm-cancel').click();
    await live.waitForState('cancelled');
    // Cancelled: still "of 6", the unsent ones apart from the contacts skipped for a reason of theirs.
    const [sentText, of] = (await page.getByTestId('campaign-sent').innerText()).split(' / ');
    expect(of).toBe('6');
    expect(await live.count('skipped')).toBe(0);
    expect(Number(await page.getByTestId('count-cancelled').locator('.figure-value').innerText())).toBe(6 - Number(sentText));
  });
});
