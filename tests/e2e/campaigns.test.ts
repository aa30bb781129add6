import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../shared/contacts';
import { TESTDATA } from '../helpers/paths';
import { screenshot } from './support/browser';
import { webAppSuite } from './support/suite';
import { CampaignPages } from './pages/campaign-pages';
import { ContactsPage } from './pages/contacts-page';
import { NumbersPage } from './pages/numbers-page';
import { apiOf } from './support/api';

const suite = webAppSuite();

const api = apiOf(() => suite.web);

describe('a campaign in Chromium', () => {
  it('the wizard, two demo numbers, pause, resume, an opt-out reply that stops the next send, completion', async () => {
    const page = suite.browser.page;
    const numbers = new NumbersPage(page);
    await numbers.open();
    for (const label of ['Tienda Centro', 'Tienda Norte']) {
      await numbers.add('demo', label);
      const card = numbers.card(label);
      await numbers.waitForState(card, 'qr');
      await card.getByTestId('simulate-scan').click();
      await numbers.waitForState(card, 'connected');
    }
    const contacts = new ContactsPage(page);
    await contacts.openImport();
    await contacts.chooseFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    await contacts.startImport();
    await page.getByTestId('import-summary').waitFor();

    const wizard = new CampaignPages(page);
    await wizard.startWizard();
    await page.getByTestId('campaign-name').fill('Pan de muerto');
    await wizard.next();
    await page.getByTestId('campaign-body').fill('{Hola|Buen día} {{nombre|}}, te saluda Luis de *La Espiga*. Si no deseas recibir más mensajes, responde CANCELAR');
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await wizard.next();
    await page.locator('[data-list-name="clientes_utf8_bom_coma"]').check();
    await wizard.next();
    for (const box of await page.getByTestId('campaign-number').all()) await box.check();
    await wizard.next();
    await page.getByTestId('pace-custom').check(); // 2–5 s between messages: slow enough to pause, quick to finish
    await wizard.next();
    await page.getByTestId('start-now').check();
    await wizard.next();
    await page.getByTestId('campaign-summary').waitFor();
    // The sample file has six valid contacts (shared/testdata/contacts/expected.json), none known to lack WhatsApp yet.
    expect(Number(await page.getByTestId('summary-to-send').innerText())).toBe(6);
    // Two numbers that never sent at a custom (fast) pace, contacts never checked, no test send: medium, and why.
    const risk = page.getByTestId('risk');
    expect(await risk.getAttribute('data-level')).toBe('medium');
    expect(await risk.locator('li').allInnerTexts()).toEqual([
      'Algún número tiene menos de 4 semanas enviando: usa el ritmo «Número nuevo» o «Prudente».',
      'Muchos contactos no se han verificado en WhatsApp.',
      'No has enviado una prueba esta semana.',
    ]);
    expect(await page.getByTestId('test-reminder').innerText()).toContain('Envíate una prueba a un número tuyo antes de lanzar');
    // Every choice in one place, and the message as two of the list's contacts will get it.
    expect(await page.getByTestId('review-lists').innerText()).toBe('clientes_utf8_bom_coma');
    expect(await page.getByTestId('review-numbers').innerText()).toBe('Tienda Centro, Tienda Norte');
    expect(await page.getByTestId('review-pace').innerText()).toContain('Personalizado: hasta 20 por minuto');
    expect(await page.getByTestId('review-when').innerText()).toContain('Empieza en cuanto la lances');
    await expect.poll(() => page.getByTestId('campaign-summary').getByTestId('preview-item').count()).toBe(2);
    expect(await page.getByTestId('campaign-summary').getByTestId('bubble-text').first().innerText()).toMatch(/^(Hola|Buen día) .+, te saluda Luis de La Espiga\./);
    await screenshot(page, 'campaign-summary');
    await wizard.launch();

    await wizard.waitForState('running');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="count-sent"] .figure-value')?.textContent) + Number(document.querySelector('[data-testid="count-delivered"] .figure-value')?.textContent) + Number(document.querySelector('[data-testid="count-read"] .figure-value')?.textContent) >= 1, undefined, { timeout: 30_000 });

    await page.getByTestId('pause').click();
    await wizard.waitForState('paused');
    const queuedAtPause = await wizard.count('queued');
    const sentAtPause = (await api<{ counts: Record<string, number> }>('campaigns.get', { id: Number(page.url().split('/').at(-1)) })).counts;
    // Paused: over several of the pace's 2–5 s gaps, nothing leaves the queue (looked at every half second).
    for (let i = 0; i < 12; i++) {
      await page.waitForTimeout(500);
      expect(await wizard.count('queued')).toBe(queuedAtPause);
    }
    const countsNow = (await api<{ counts: Record<string, number> }>('campaigns.get', { id: Number(page.url().split('/').at(-1)) })).counts;
    expect(countsNow.queued).toBe(sentAtPause.queued);
    await screenshot(page, 'campaign-paused');

    // The last contact in line answers CANCELAR before its turn: it must get nothing.
    const { rows } = await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 50, search: 'Óscar' });
    const oscar = rows[0] as Contact;
    const number = (await api<{ id: string }[]>('numbers.list', {}))[0] as { id: string };
    await api('numbers.simulateReply', { id: number.id, phone: oscar.phone, body: 'cancelar' });
    await page.locator('[data-testid="campaign-events"] [data-kind="opt_out"]').waitFor({ timeout: 10_000 });

    await page.getByTestId('resume').click();
    await wizard.waitForState('running');
    await wizard.waitForState('completed', 90_000);
    const campaignId = Number(page.url().split('/').at(-1));
    const report = await api<{ skippedBy: Record<string, number> }>('reports.get', { id: campaignId });
    // Óscar's opt-out, and whoever the simulator says has no WhatsApp: nothing else.
    expect(report.skippedBy.opted_out).toBe(1);
    const skipped = await wizard.count('skipped');
    expect(skipped).toBe(Object.values(report.skippedBy).reduce((a, b) => a + b, 0));
    const after = await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 50, search: 'Óscar' });
    expect(after.rows[0]?.optedOut).toBe(true);
    await screenshot(page, 'campaign-completed');
    const liveSent = Number((await page.getByTestId('campaign-sent').innerText()).split('/')[0]);

    // The report says what happened, with the chart drawn by Chart.js and the table of every contact.
    await page.getByTestId('open-report').click();
    await page.getByTestId('page-report').waitFor();
    // Why contacts were skipped, in words, one line per reason with its count.
    const reasonLines = await page.getByTestId('reasons-skipped').locator('li').allInnerTexts();
    expect(reasonLines).toHaveLength(Object.keys(report.skippedBy).length);
    expect(reasonLines.some((line) => line.endsWith(': 1') && /baja/i.test(line))).toBe(true);
    expect(Number(await page.getByTestId('report-skipped').locator('.figure-value').innerText())).toBe(skipped);
    expect(Number(await page.getByTestId('report-sent').locator('.figure-value').innerText())).toBe(liveSent);
    await page.locator('[data-testid="report-chart"] canvas').waitFor();
    // Chart.js drew something: the canvas differs from a blank one of its size.
    const drawn = await page.locator('[data-testid="report-chart"] canvas').evaluate((canvas: HTMLCanvasElement) => {
      const blank = document.createElement('canvas');
      blank.width = canvas.width;
      blank.height = canvas.height;
      return canvas.width > 0 && canvas.toDataURL() !== blank.toDataURL();
    });
    expect(drawn).toBe(true);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="report-row"]').length >= 5);
    await screenshot(page, 'report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export-xlsx').click()]);
    expect(download.suggestedFilename()).toBe('Pan de muerto - reporte.xlsx');
    // The workbook opens and holds every contact of the campaign.
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const names = book.worksheets.map((w) => w.name);
    expect(names).toContain('Resumen');
    const table = book.worksheets.find((w) => w.name !== 'Resumen');
    expect((table?.actualRowCount ?? 0) - 1).toBe(6);
    // The same as CSV: a header, the six contacts, and no cell a spreadsheet would run as a formula.
    const [csvFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export-csv').click()]);
    expect(csvFile.suggestedFilename()).toBe('Pan de muerto - reporte.csv');
    const csvRows = fs.readFileSync((await csvFile.path()) ?? '', 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(csvRows).toHaveLength(7);
    // Nothing a spreadsheet would run; a phone in E.164 goes as it is (no apostrophe showing in Excel: #30 item 9).
    for (const line of csvRows) for (const cell of line.split(',')) expect(cell).not.toMatch(/^(?!\+\d{7,15}$)[=+\-@]/);
    expect(await page.getByTestId('report-figures').locator('.figure').count()).toBeGreaterThanOrEqual(6);
    expect(await page.getByTestId('report-per-number').locator('tbody tr').count()).toBe(2);
    // Each number's messages that went out (#30 item 3): the report's figure, read again on the campaign page and Inicio.
    const reported = await page.getByTestId('report-per-number').locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.children[1]?.textContent)).sort());
    // Filtered to one state, the table shows exactly that many rows.
    await page.getByTestId('report-state').selectOption('skipped');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="report-row"]').length === n, skipped);
    expect(await page.getByTestId('report-table').getAttribute('aria-rowcount')).toBe(String(skipped));
    // Why each was skipped, beside its state.
    expect((await page.getByTestId('report-row').first().getByTestId('row-reason').innerText()).trim()).toBe('· Se dio de baja');
    // Óscar, who answered CANCELAR before his turn, is marked as opted out in his row.
    expect(await page.getByTestId('report-row').filter({ hasText: 'Óscar' }).getByTestId('row-opted-out').innerText()).toBe('Baja');
    // Imported without saying whether they agreed: the report says there is no record of it.
    // … and that the user confirmed at launch they may write to them (#30 item 8).
    expect(await page.getByTestId('report-row').filter({ hasText: 'Óscar' }).getByTestId('row-consent').innerText()).toBe('Sin dato · confirmado al lanzar');
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('page-campaigns').waitFor();
    await page.locator('[data-testid="campaign-row"][data-state="completed"]').waitFor();
    expect(await page.getByTestId('campaigns-table').innerText()).toContain('Pan de muerto');
    // Back to the finished campaign's live page: its state, counts and a full progress bar.
    await page.getByTestId('open-campaign').first().click();
    expect(await page.getByTestId('campaign-state').innerText()).toBe('Terminada');
    await page.getByTestId('campaign-counts').waitFor();
    const bar = page.getByTestId('campaign-progress');
    expect(await bar.getAttribute('value')).toBe(String(liveSent));
    const onPage = await page.getByTestId('number-progress').evaluateAll((items) => items.map((i) => Number(i.querySelector('progress')?.getAttribute('value'))).sort());
    expect(onPage).toEqual(reported);
    await page.getByTestId('nav-campaigns').click();

    // The opt-out reply is in the inbox, flagged, and can be marked as handled.
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('page-inbox').waitFor();
    await page.getByTestId('inbox-campaign').selectOption({ label: 'Pan de muerto' });
    await page.getByTestId('replies').waitFor();
    const optOut = page.locator('[data-testid="reply"][data-opt-out="true"]').first();
    await optOut.waitFor();
    expect(await optOut.innerText()).toContain('cancelar');
    expect(await optOut.innerText()).toContain('Pan de muerto');
    await screenshot(page, 'inbox');
    await optOut.getByTestId('toggle-handled').click();
    await page.getByTestId('inbox-show').selectOption('waiting');
    await page.locator('[data-testid="reply"][data-opt-out="true"]').waitFor({ state: 'detached' });

    // Home shows today's sends per number.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('dashboard').waitFor();
    expect(await page.getByTestId('dash-number').count()).toBe(2);
    const onHome = await page.getByTestId('dash-number').evaluateAll((items) => items.map((i) => Number(i.querySelector('progress')?.getAttribute('value'))).sort());
    expect(onHome).toEqual(reported);
    const dashboard = await api<{ optOutsToday: number; conversations: { waiting: number } }>('dashboard.get');
    expect(Number(await page.getByTestId('dash-opt-outs').innerText())).toBe(dashboard.optOutsToday);
    expect(await page.getByTestId('dash-conversations').innerText()).toContain(dashboard.conversations.waiting > 0 ? `${dashboard.conversations.waiting} conversaciones` : 'Ninguna conversación');
    await screenshot(page, 'home-dashboard');
  }, 150_000);
});
