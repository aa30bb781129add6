import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ContactList } from '../../shared/contacts';
import { suiteTempDir } from '../helpers/temp-dir';
import { ContactsPage } from './pages/contacts-page';
import { NumbersPage } from './pages/numbers-page';
import { apiOf } from './support/api';
import { screenshot } from './support/browser';
import { webAppSuite } from './support/suite';

const suite = webAppSuite();
const api = apiOf(() => suite.web);

/** A Google Contacts-style list pasted together: one line in Windows-1252, a multi-value phone, a repeat, a bad number. */
function pastedList(): string {
  const file = path.join(suiteTempDir(), 'pegada.csv');
  fs.writeFileSync(
    file,
    Buffer.concat([
      Buffer.from('Name,Phone 1 - Type,Phone 1 - Value,Colonia\n', 'utf8'),
      Buffer.from('Ana Ruiz,Mobile,+52 1 33 4455 6677 ::: +52 33 9999 0000,Roma Norte\n', 'utf8'),
      iconv.encode('Begoña Ibáñez,Mobile,55 2345 6789,Peñón\n', 'win1252'),
      Buffer.from('Carla Núñez,Home,81 2345 6789,Condesa\n', 'utf8'),
      Buffer.from('Ana otra vez,Mobile,+52 33 4455 6677,Roma\n', 'utf8'),
      Buffer.from('Sin número,Mobile,12,Centro\n', 'utf8'),
    ]),
  );
  return file;
}

describe('the contacts journey from an empty folder: a pasted list, its summary, the table and its exports, in Chromium', () => {
  it('imports a pasted Google list, says what it repaired, split and refused, and exports CSV and XLSX that open as text', async () => {
    const page = suite.browser.page;
    const contacts = new ContactsPage(page);
    await page.getByTestId('home-steps').waitFor(); // a fresh folder's home shows the first steps
    await contacts.openContacts();
    expect(await page.getByTestId('contacts-empty').innerText()).toContain('Aún no tienes contactos');
    await contacts.openImport();
    expect(await page.getByTestId('page-import').isVisible()).toBe(true);
    await contacts.chooseFile(pastedList());
    await page.getByTestId('import-columns').waitFor();
    expect(await page.getByTestId('role-2').inputValue()).toBe('phone');
    expect(await page.getByTestId('import-why').locator('li').count()).toBe(3);
    expect(await page.getByTestId('why-multi').innerText()).toContain('«Phone 1 - Value (otros)»');
    await page.getByTestId('import-list-name').fill('Pegada');
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor();
    expect(await contacts.summaryFigure('imported')).toBe(3);
    expect(await page.getByTestId('summary-repaired').innerText()).toMatch(/^Líneas leídas en otra codificación \(Windows-1252, la de Excel\) y corregidas: 1\./);
    expect(await page.getByTestId('rejects-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('duplicates-table').locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'journey-import-summary');

    await contacts.openContacts();
    await page.getByTestId('contacts-table').waitFor();
    // The table appears before its first page of rows: asked again until they are there (seen empty once in CI).
    await expect.poll(async () => (await page.getByTestId('contact-name').allInnerTexts()).sort()).toEqual(['Ana Ruiz', 'Begoña Ibáñez', 'Carla Núñez']);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const text = fs.readFileSync((await csv.path()) ?? '', 'utf8');
    expect(text.startsWith('\ufeffNombre,Teléfono,Estado,WhatsApp')).toBe(true);
    expect(text).toContain('Begoña Ibáñez,+525523456789');
    expect(text).toContain('+52 33 9999 0000');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(fs.readFileSync((await xlsx.path()) ?? '').subarray(0, 2).toString('latin1')).toBe('PK');
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);

    // A phone corrected by hand in the editor, written the local way: stored in the international form.
    await page.locator('[data-testid="contact-row"]', { hasText: 'Carla Núñez' }).getByTestId('edit-contact').click();
    // Imported without saying whether they agreed: the editor says so, and that campaigns will ask.
    expect(await page.getByTestId('editor-consent').innerText()).toBe('No se preguntó si aceptó recibir tus mensajes. Las campañas te pedirán confirmarlo.');
    await page.getByTestId('editor-phone').fill('044 81 2345 6780');
    await page.getByTestId('editor-save').click();
    await page.locator('[data-testid="contact-phone"]', { hasText: '+52 81 2345 6780' }).waitFor();
  }, 60_000);

  it('imports the same list again into the existing list: nobody twice, the others updated', async () => {
    const page = suite.browser.page;
    const contacts = new ContactsPage(page);
    await contacts.openImport();
    await contacts.chooseFile(pastedList());
    await page.getByTestId('import-columns').waitFor();
    await page.getByTestId('import-existing').check();
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor();
    // Carla's number was corrected by hand: the file's old one comes in as a contact of its own.
    expect(await contacts.summaryFigure('imported')).toBe(1);
    expect(await contacts.summaryFigure('updated')).toBe(2);
    expect((await api<ContactList[]>('lists.list')).map((l) => [l.name, l.count])).toEqual([['Pegada', 4]]);
  }, 60_000);

  it('renames a linked number, and an unknown address shows the page-not-found page with a way home', async () => {
    const page = suite.browser.page;
    const numbers = new NumbersPage(page);
    const card = await numbers.linkDemo('Tienda', true);
    expect(await card.getByTestId('number-name').innerText()).not.toBe('');
    await card.getByTestId('rename').click();
    await card.getByTestId('rename-input').fill('Tienda Centro');
    await card.getByRole('button', { name: 'Guardar' }).click();
    await page.getByTestId('number-list').getByText('Tienda Centro').waitFor();
    expect((await api<{ label: string }[]>('numbers.list')).map((n) => n.label)).toContain('Tienda Centro');

    // An old bookmark or a mistyped address (the app routes by the URL's hash).
    await page.evaluate(() => (window.location.hash = '#/no-existe'));
    const missing = page.getByTestId('page-not-found');
    await missing.waitFor();
    await screenshot(page, 'journey-not-found');
    await missing.getByRole('link').first().click();
    await page.getByTestId('page-home').waitFor();

    // An empty list says it is empty, not that no contact matches (#30 item 9).
    const empty = await api<ContactList>('lists.create', { name: 'Vacía' });
    await page.goto(`${suite.web.origin}/#/contactos?lista=${empty.id}`);
    await expect.poll(() => page.getByTestId('contacts-empty').innerText()).toBe('Esta lista aún no tiene contactos. Agrégalos desde «Todos los contactos» o importa un archivo en ella.');
  }, 60_000);
});
