import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContactList } from '../../shared/contacts';
import { readmeWorkbook } from '../helpers/export-shapes';
import { request } from '../helpers/http';
import { TESTDATA } from '../helpers/paths';
import { suiteTempDir } from '../helpers/temp-dir';
import { ContactsPage } from './pages/contacts-page';
import { ShellPage } from './pages/shell-page';
import { apiOf } from './support/api';
import { screenshot } from './support/browser';
import { webAppSuite } from './support/suite';
import { startWebApp, type WebApp } from './support/web-app';

const suite = webAppSuite();
const api = apiOf(() => suite.web);

describe('real exports in the wizard, and an interrupted import told on the next start, in Chromium', () => {
  it('a workbook with a read-me sheet opens on its contacts sheet, and says why it chose the sheet and the columns', async () => {
    const page = suite.browser.page;
    const contacts = new ContactsPage(page);
    await contacts.openImport();
    await contacts.chooseFile(await readmeWorkbook(suiteTempDir()));
    await page.getByTestId('import-columns').waitFor();
    expect(await page.getByTestId('import-sheet').inputValue()).toBe('Contactos');
    expect(await page.getByTestId('import-sheet').locator('option').allInnerTexts()).toEqual(['Léeme', 'Contactos — parece tu lista (12 teléfonos)']);
    expect(await page.getByTestId('why-sheet').innerText()).toContain('«Contactos»');
    expect(await page.getByTestId('why-phone').innerText()).toBe('Teléfono: «Celular», porque 12 de las 12 primeras filas tienen ahí un número de teléfono.');
    expect(await page.getByTestId('why-name').innerText()).toContain('«Cliente»');
    expect(await page.getByTestId('look-2').innerText()).toBe('teléfonos');
    expect(await page.getByTestId('look-3').innerText()).toBe('correos');
    expect(await page.getByTestId('role-2').inputValue()).toBe('phone');
    expect(await page.getByTestId('import-header-row').inputValue()).toBe('2');
    await screenshot(page, 'import-readme-workbook');
    // The read-me sheet picked by hand: told it has no rows, and the wizard stays where it was.
    await page.getByTestId('import-sheet').selectOption('Léeme');
    expect(await page.getByTestId('import-error').innerText()).toContain('ninguna fila de datos');
    expect(await page.getByTestId('import-sheet').inputValue()).toBe('Contactos');
    await page.getByTestId('import-list-name').fill('CRM');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor();
    expect(await contacts.summaryFigure('imported')).toBe(12);
  }, 60_000);

  it('a list stopped while it was read is told on the Contacts page after the restart, until the user says they read it', async () => {
    const dataDir = path.join(suiteTempDir(), 'interrumpida');
    let web: WebApp = await startWebApp(dataDir);
    const apiB = apiOf(() => web);
    const page = suite.browser.page;
    await new ShellPage(page).open(web.url);
    const token = new URL(web.url).searchParams.get('token') ?? '';
    const upload = await request(web.port, {
      method: 'POST',
      path: `/api/upload?name=${encodeURIComponent('grande_100k.csv')}`,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      body: fs.readFileSync(path.join(TESTDATA, 'contacts', 'grande_100k.csv')),
    });
    const { uploadId } = (upload.json() as { value: { uploadId: string } }).value;
    await apiB('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX', list: { name: 'Grande' } });
    web.process.kill('SIGKILL'); // the power goes while the file is being read
    await new Promise((resolve) => web.process.once('exit', resolve));
    // The open tab says it lost the app rather than freezing.
    await page.getByTestId('connection-lost').waitFor();
    web = await startWebApp(dataDir);
    try {
      await new ShellPage(page).open(web.url);
      await new ContactsPage(page).openContacts();
      const notice = page.getByTestId('import-notice-discarded');
      await notice.waitFor();
      expect(await notice.innerText()).toContain('La importación de «grande_100k.csv» se interrumpió mientras se leía el archivo. No se guardó nada de ella');
      expect(await apiB<ContactList[]>('lists.list')).toEqual([]);
      await screenshot(page, 'import-interrupted-notice');
      await notice.getByRole('link', { name: 'Importar de nuevo' }).waitFor();
      await page.getByTestId('import-notice-dismiss').click();
      await notice.waitFor({ state: 'detached' });
      await new ShellPage(page).open(web.url);
      await new ContactsPage(page).openContacts();
      expect(await page.getByTestId('import-notices').count()).toBe(0);
    } finally {
      await web.stop();
      await new ShellPage(suite.browser.page).open(suite.web.url);
    }
    expect((await api<ContactList[]>('lists.list')).map((l) => l.name)).toEqual(['CRM']);
  }, 90_000);
});
