import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignView } from '../../shared/campaigns';
import type { Contact, ContactList } from '../../shared/contacts';
import { TESTDATA } from '../helpers/paths';
import { screenshot } from './support/browser';
import { webAppSuite } from './support/suite';
import { CampaignPages } from './pages/campaign-pages';
import { ContactsPage } from './pages/contacts-page';
import { NumbersPage } from './pages/numbers-page';
import { apiOf } from './support/api';

const suite = webAppSuite();

const api = apiOf(() => suite.web);

describe('import options and the wizard schedule, in Chromium', () => {
  it('imports a workbook choosing its sheet, header row, country and list name; a large import cancelled writes nothing', async () => {
    const page = suite.browser.page;
    const contacts = new ContactsPage(page);
    await contacts.openImport();
    await contacts.chooseFile(path.join(TESTDATA, 'contacts', 'clientes.xlsx'));
    await page.getByTestId('import-columns').waitFor();
    expect(await page.getByTestId('import-detected').innerText()).toContain('clientes.xlsx');
    await page.getByTestId('import-sheet').selectOption('Clientes');
    await page.getByTestId('import-header-row').selectOption('1');
    await page.getByTestId('import-country').selectOption('MX');
    expect(await page.getByTestId('import-preview').locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
    await page.getByTestId('import-list-name').fill('Excel de la tienda');
    // Where the contacts came from: a bought list is warned about; these are the shop's customers, who agreed.
    expect(await page.getByTestId('import-consent').innerText()).toContain('¿De dónde salieron estos contactos?');
    await page.getByTestId('consent-source').selectOption('bought');
    expect(await page.getByTestId('consent-bought').innerText()).toContain('van contra las reglas de WhatsApp');
    await page.getByTestId('consent-source').selectOption('customers');
    expect(await page.getByTestId('consent-bought').count()).toBe(0);
    await page.getByTestId('consent-not-agreed').click();
    await page.getByTestId('consent-agreed').click();
    await page.locator('[data-testid="consent-agreed"]:checked').waitFor();
    await screenshot(page, 'import-consent');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor();
    // Each contact keeps it, with the date.
    const imported = await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10 });
    expect(imported.rows.map((c) => [c.consent, c.consentSource])).toEqual(imported.rows.map(() => ['yes', 'customers']));
    // expected.json: rows 2, 3 and 5 are valid, 4 is refused, 6 repeats row 2.
    expect(await contacts.summaryFigure('imported')).toBe(3);
    expect(await contacts.summaryFigure('rejected')).toBe(1);
    expect(await contacts.summaryFigure('duplicates')).toBe(1);
    expect((await api<ContactList[]>('lists.list')).map((l) => [l.name, l.count])).toEqual([['Excel de la tienda', 3]]);

    // "Importar otro archivo": the new file's origin is asked again, never carried over from the last one (#30 item 8).
    await page.getByTestId('import-another').click();
    await contacts.chooseFile(path.join(TESTDATA, 'contacts', 'grande_100k.csv'));
    await page.getByTestId('import-columns').waitFor();
    expect(await page.getByTestId('consent-source').inputValue()).toBe('');
    expect(await page.getByTestId('consent-agreed').isChecked()).toBe(false);
    expect(await page.getByTestId('consent-not-agreed').isChecked()).toBe(false);
    await page.getByTestId('import-list-name').fill('Grande');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-cancel').click();
    const notice = page.getByTestId('import-notice');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.innerText()).toMatch(/cancel/i);
    expect((await api<ContactList[]>('lists.list')).map((l) => l.name)).toEqual(['Excel de la tienda']);
    expect((await api<{ total: number }>('contacts.query', { offset: 0, limit: 1 })).total).toBe(3);
  }, 90_000);

  it('schedules a campaign for later with a sending window, and it waits in «Programada» with those settings', async () => {
    const page = suite.browser.page;
    await api('settings.update', { timeZone: 'America/Mexico_City' }); // the schedule is read on this clock
    const numbers = new NumbersPage(page);
    await numbers.linkDemo('Tienda', true);
    const wizard = new CampaignPages(page);
    await wizard.startWizard();
    await page.getByTestId('page-wizard').waitFor();
    await page.getByTestId('campaign-name').fill('Posada');
    await wizard.next();
    await page.getByTestId('campaign-body').fill('Hola {{nombre|}}, te saluda Luis de La Espiga. Si no deseas más mensajes, responde BAJA');
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await wizard.next();
    await page.locator('[data-list-name="Excel de la tienda"]').check();
    const [excel] = (await api<ContactList[]>('lists.list')).filter((l) => l.name === 'Excel de la tienda');
    expect(await page.getByTestId(`include-${excel?.id}`).isChecked()).toBe(true);
    await wizard.next();
    for (const box of await page.getByTestId('campaign-number').all()) await box.check();
    await wizard.next();
    await wizard.next(); // the standard pace
    await page.getByTestId('start-later').check();
    await page.getByTestId('start-at').fill('2030-01-07T10:30');
    await page.getByTestId('window-on').check();
    await page.getByTestId('window-day-6').uncheck();
    await page.getByTestId('window-day-0').uncheck();
    await page.getByTestId('window-from').fill('10:00');
    await page.getByTestId('window-to').fill('18:30');
    await screenshot(page, 'wizard-schedule');
    await wizard.next();
    await page.getByTestId('campaign-summary').waitFor();
    expect(await page.getByTestId('summary-finish').innerText()).toContain('lun 7 de ene');
    await wizard.launch();
    await wizard.waitForState('scheduled');
    const id = Number(page.url().split('/').at(-1));
    const view = await api<CampaignView>('campaigns.get', { id });
    expect(view.settings.window).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 600, endMinute: 1110 });
    expect(new Date(view.settings.startAt ?? 0).toISOString()).toBe('2030-01-07T16:30:00.000Z'); // 10:30 in Mexico City
    expect(view.counts.queued).toBe(3);
    await screenshot(page, 'campaign-scheduled');

    // Changed plans: cancelled before its day, after a confirmation; nothing is left to send.
    await page.getByTestId('cancel').click();
    await page.getByTestId('confirm-cancel').click();
    await wizard.waitForState('cancelled');
    const cancelled = await api<CampaignView>('campaigns.get', { id });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.counts.queued + cancelled.counts.sending + cancelled.counts.sent).toBe(0);
  }, 90_000);
});
