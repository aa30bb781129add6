import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactList } from '../../shared/contacts';
import type { Settings } from '../../shared/types';
import { TESTDATA } from '../helpers/paths';
import { suiteTempDir, tempDir } from '../helpers/temp-dir';
import { launchBrowser, screenshot } from './support/browser';
import { startWebApp, type WebApp } from './support/web-app';
import { ContactsPage } from './pages/contacts-page';
import { NumbersPage } from './pages/numbers-page';
import { ShellPage } from './pages/shell-page';
import { apiOf } from './support/api';

let web: WebApp;
const dataDir = suiteTempDir(); // for the whole suite: tempDir() folders are removed after each test
let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  web = await startWebApp(dataDir, ['--demo']);
  browser = await launchBrowser();
  await new ShellPage(browser.page).open(web.url);
}, 60_000);
afterAll(async () => {
  await browser.close();
  await web.stop();
});

const api = apiOf(() => web);

describe('Ajustes, respaldo y contactos in Chromium', () => {
  it('changes the time zone and the opt-out words, refuses an empty list of words in Spanish, and says how web mode picks the browser', async () => {
    const page = browser.page;
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('page-settings').waitFor();
    expect(await page.getByTestId('settings-browser-path').innerText()).toBe('Buscar automáticamente');
    expect(await page.getByTestId('settings-browser-web').innerText()).toContain('--browser');
    expect(await page.getByTestId('settings-browser-choose').count()).toBe(0); // the native dialog is the desktop app's
    await page.getByTestId('settings-timezone').selectOption('America/Monterrey');
    await expect.poll(async () => (await api<Settings>('settings.get')).timeZone).toBe('America/Monterrey');
    // Named as people read them, in Spanish, Mexico's first (#30 item 9): not "America/Monterrey".
    const shown = await page.getByTestId('settings-timezone').evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? '');
    expect(shown).toMatch(/^Monterrey · hora .+ \(GMT-6\)$/);
    expect(await page.getByTestId('settings-timezone').locator('optgroup').first().getAttribute('label')).toBe('México');
    // Scrolled down a long page, the next page still opens at its top (#30 item 9).
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await page.getByTestId('nav-numbers').click();
    await page.getByTestId('page-numbers').waitFor();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('page-settings').waitFor();

    await page.getByTestId('settings-optout-words').fill('QUITAR, BASTA YA');
    await page.getByTestId('settings-optout').locator('button[type="submit"]').click();
    await expect.poll(async () => (await api<Settings>('settings.get')).optOutWords).toEqual(['QUITAR', 'BASTA YA']);
    await page.getByTestId('settings-optout-words').fill(' , ');
    await page.getByTestId('settings-optout').locator('button[type="submit"]').click();
    const error = page.getByTestId('settings-error');
    await error.waitFor();
    expect(await error.innerText()).not.toMatch(/invalid_input|optOutWords|\{/);
    expect((await api<Settings>('settings.get')).optOutWords).toEqual(['QUITAR', 'BASTA YA']);
    await screenshot(page, 'settings');
  });

  it('downloads a backup, restores it (later lists go, the number stays), and refuses a file that is no backup', async () => {
    const page = browser.page;
    await api('lists.create', { name: 'Antes del respaldo' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-create').click()]);
    expect(download.suggestedFilename()).toMatch(/^whatzme-respaldo-\d{4}-\d{2}-\d{2}\.db$/);
    const file = path.join(tempDir(), download.suggestedFilename());
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');

    await api('lists.create', { name: 'Después del respaldo' });
    await page.getByTestId('restore-file').setInputFiles(file);
    // Checked before the question, which says what the backup holds.
    expect(await page.getByTestId('restore-contents').innerText()).toBe('Contactos: 0 · Listas: 1 · Campañas: 0.');
    await page.getByTestId('restore-confirm').click();
    await page.getByTestId('backup-panel').locator('[role="status"]').waitFor();
    expect((await api<ContactList[]>('lists.list')).map((l) => l.name)).toEqual(['Antes del respaldo']);
    expect((await api<{ label: string }[]>('numbers.list')).map((n) => n.label)).toEqual(['Número de demostración']);

    await page.getByTestId('restore-file').setInputFiles(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    const refused = page.getByTestId('backup-error');
    await refused.waitFor();
    // A file that is no backup never gets the question "replace everything?".
    expect(await page.getByTestId('restore-confirm').count()).toBe(0);
    expect(await refused.innerText()).toContain('no es un respaldo de WhatzMe');
    expect((await api<ContactList[]>('lists.list')).map((l) => l.name)).toEqual(['Antes del respaldo']);
    await screenshot(page, 'settings-restore-refused');
  });

  it('edits a contact, opts them out and undoes it (asked twice, with history), adds contacts to a new list in bulk, and checks a list on WhatsApp', async () => {
    const page = browser.page;
    await new NumbersPage(page).linkDemo();
    const contacts = new ContactsPage(page);
    await contacts.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    await contacts.openContacts();

    await page.getByTestId('contacts-search').fill('Ana');
    const row = page.getByTestId('contact-row').first();
    await row.waitFor();
    await row.getByTestId('edit-contact').click();
    const editor = page.getByTestId('contact-editor');
    await editor.waitFor();
    await editor.getByTestId('editor-name').fill('Ana Sofía López');
    await editor.getByTestId('editor-save').click();
    await editor.waitFor({ state: 'detached' }); // saved: the editor closes, and says so
    await page.getByTestId('toasts').getByTestId('toast').filter({ hasText: 'Contacto «Ana Sofía López» guardado' }).waitFor();
    await expect.poll(() => page.getByTestId('contact-row').first().innerText()).toContain('Ana Sofía López');
    await page.getByTestId('contact-row').first().getByTestId('edit-contact').click();
    await editor.waitFor();

    await editor.getByTestId('opt-out').click();
    await editor.getByTestId('editor-opted-out').waitFor();
    expect(await page.getByTestId('contact-row').first().getByTestId('badge-opted-out').count()).toBe(1);
    await editor.getByTestId('undo-optout').click();
    await editor.getByTestId('confirm-undo-optout').click();
    await editor.getByTestId('opt-out').waitFor();
    expect((await editor.getByTestId('optout-history').locator('li').allInnerTexts()).length).toBe(2);
    await screenshot(page, 'contact-editor');
    // While it is open, the editor takes the lists' place, so the table keeps every column at 1280 px (#30 item 9).
    expect(await page.getByTestId('new-list-name').count()).toBe(0);
    const status = (await page.getByTestId('contact-row').first().getByTestId('contact-status').boundingBox())!;
    const table = (await page.getByTestId('contacts-table').boundingBox())!;
    expect(status.x + status.width).toBeLessThanOrEqual(table.x + table.width);
    await editor.getByTestId('editor-close').click();
    await editor.waitFor({ state: 'detached' });

    await page.getByTestId('contacts-search').fill('');
    await page.getByTestId('new-list-name').fill('VIP');
    await page.getByTestId('create-list').click();
    await expect.poll(async () => (await api<ContactList[]>('lists.list')).map((l) => l.name)).toContain('VIP');
    const boxes = page.getByTestId('contact-row').locator('input[type="checkbox"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId('bulk-bar').waitFor();
    const vip = (await api<ContactList[]>('lists.list')).find((l) => l.name === 'VIP') as ContactList;
    await page.getByTestId('bulk-add-to-list').selectOption(String(vip.id));
    await expect.poll(async () => (await api<ContactList[]>('lists.list')).find((l) => l.name === 'VIP')?.count).toBe(2);
    await page.getByTestId('toast').filter({ hasText: '2 contactos agregados a «VIP»' }).waitFor();

    // Select all: every contact of the view at once, and again to clear.
    await page.getByTestId('select-all').click(); // checked once the ids have come back
    await page.locator('[data-testid="select-all"]:checked').waitFor();
    await expect.poll(() => page.getByTestId('bulk-bar').innerText()).toContain('6 seleccionados');
    expect(await page.getByTestId('contact-row').locator('input[type="checkbox"]:checked').count()).toBe(6);
    await page.getByTestId('select-all').click();
    await page.getByTestId('bulk-bar').waitFor({ state: 'detached' });

    await page.getByTestId('contacts-status').selectOption('active');
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(6);
    await page.getByTestId(`list-${vip.id}`).click();
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(2);
    await page.getByTestId('check-panel').waitFor();
    await page.getByTestId('check-start').click();
    await page.locator('[data-testid="check-progress"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('check-progress').innerText()).toMatch(/\d+ .*WhatsApp/);
    await screenshot(page, 'contacts-checked');
  }, 120_000);
});
