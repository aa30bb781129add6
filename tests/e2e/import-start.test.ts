import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';
import type { Contact } from '../../shared/contacts';
import { screenshot } from './support/browser';
import { apiOf } from './support/api';
import { webAppSuite } from './support/suite';
import { ContactsPage } from './pages/contacts-page';

const suite = webAppSuite();
const api = apiOf(() => suite.web);

describe('starting an import, in Chromium', () => {
  it('a sample file to fill in, contacts pasted from a spreadsheet kept or updated, and the history of imports', async () => {
    const page = suite.browser.page;
    const contacts = new ContactsPage(page);
    await contacts.openImport();
    expect(await page.getByTestId('import-history').innerText()).toContain('Todavía no has importado ningún archivo.');

    // The sample, downloaded as Excel and imported as it is: three contacts, each phone in a local form.
    expect(await page.getByTestId('import-sample').innerText()).toContain('Descargar un archivo de ejemplo');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sample-csv').click()]);
    expect(csv.suggestedFilename()).toBe('ejemplo de contactos.csv');
    expect(fs.readFileSync((await csv.path()) ?? '', 'utf8').replace(/^\ufeff/, '').split(/\r?\n/)[0]).toBe('Nombre,Teléfono,Ciudad,Le gusta');
    const [sample] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sample-xlsx').click()]);
    expect(sample.suggestedFilename()).toBe('ejemplo de contactos.xlsx');
    const saved = path.join(tempDir(), sample.suggestedFilename()); // saved under its name, as the browser does
    await sample.saveAs(saved);
    await contacts.chooseFile(saved);
    await contacts.startImport();
    await page.getByTestId('import-summary').waitFor();
    expect(await contacts.summaryFigure('imported')).toBe(3);
    expect(await contacts.summaryFigure('rejected')).toBe(0);

    // Rows pasted from a spreadsheet (tab-separated): Ana again with another name, and someone new.
    await contacts.openImport();
    await page.getByTestId('paste-area').fill('Nombre\tTeléfono\tCiudad\nAna L.\t55 1234 5678\tPuebla\nRamón Ortiz\t55 8765 4321\tCDMX');
    await page.getByTestId('paste-use').click();
    await page.getByTestId('import-columns').waitFor();
    expect(await page.getByTestId('import-existing-contacts').innerText()).toContain('Si un contacto ya está en la app');
    expect(await page.getByTestId('existing-update').isChecked()).toBe(true); // updating is the default
    await page.getByTestId('existing-keep').check();
    await screenshot(page, 'import-paste-columns');
    await contacts.startImport();
    await page.getByTestId('import-summary').waitFor();
    expect(await contacts.summaryFigure('imported')).toBe(1);
    expect(await contacts.summaryFigure('updated')).toBe(1);
    expect(await page.getByTestId('summary-updated').innerText()).toContain('Ya estaban (sin cambios)');
    const ana = (await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 5, search: '5512345678' })).rows[0];
    expect(ana).toMatchObject({ name: 'Ana López', fields: { Ciudad: 'CDMX' } }); // kept as it was

    // Both imports in the history, newest first; the first one's summary opens again.
    await contacts.openImport();
    const rows = page.getByTestId('history-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain('contactos pegados.txt');
    expect(await rows.nth(0).innerText()).toContain('1 nuevos · 1 ya estaban · 0 repetidos · 0 rechazados');
    expect(await rows.nth(1).innerText()).toContain('ejemplo de contactos.xlsx');
    await screenshot(page, 'import-start');
    await rows.nth(1).getByTestId('history-open').click();
    await page.getByTestId('import-summary').waitFor();
    expect(await contacts.summaryFigure('imported')).toBe(3);
  });
});
