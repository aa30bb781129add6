import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Contact, ContactList } from '../../shared/contacts';
import { TESTDATA } from '../helpers/paths';
import { screenshot } from './support/browser';
import { apiOf, importedList, linkedDemoNumber } from './support/api';
import { webAppSuite } from './support/suite';
import { CampaignPages } from './pages/campaign-pages';

const suite = webAppSuite();
const api = apiOf(() => suite.web);

describe('the campaign wizard, beyond the plain path, in Chromium', () => {
  it('a high risk must be accepted; a scheduled campaign says when it starts; Duplicar copies it; a draft comes back; nobody to send is said', async () => {
    const page = suite.browser.page;
    const wizard = new CampaignPages(page);
    await linkedDemoNumber(api, 'Tienda');
    await importedList(suite.web, api, path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'), 'Clientes', 6);
    await page.reload();

    // The same text for everyone, no way to opt out, the standard pace on a new number: high risk.
    await wizard.startWizard();
    await page.getByTestId('campaign-name').fill('Gran venta');
    await wizard.next();
    await page.getByTestId('campaign-body').fill('Gran venta hoy en la tienda.');
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await wizard.next();
    await page.locator('[data-list-name="Clientes"]').check();
    await wizard.next();
    await page.getByTestId('campaign-number').first().check();
    await wizard.next();
    await page.getByTestId('pace-standard').check();
    await wizard.next();
    await page.getByTestId('start-later').check();
    // Writing again to whoever got a message in the last 24 h is allowed, with a warning, and shown in the review.
    await page.getByTestId('skip-recent').uncheck();
    expect(await page.getByTestId('skip-recent-off').innerText()).toContain('la causa más común de reportes de spam');
    await wizard.next();
    await page.getByTestId('campaign-summary').waitFor();
    expect(await page.getByTestId('risk').getAttribute('data-level')).toBe('high');
    expect(await page.getByTestId('review-when').innerText()).toMatch(/^Empieza /);
    expect(await page.getByTestId('review-recent-included').innerText()).toBe('Incluye a quienes recibieron un mensaje en las últimas 24 h');
    expect(await page.getByTestId('launch').isDisabled()).toBe(true);
    await screenshot(page, 'wizard-high-risk');
    await page.getByTestId('risk-accept').check();
    expect(await page.getByTestId('launch').innerText()).toBe('Programar campaña');
    await wizard.launch();
    await wizard.waitForState('scheduled');
    expect(await page.getByTestId('starts-at').innerText()).toMatch(/^Programada: empieza .+\.$/);

    // Duplicar: the wizard again, with every choice of that campaign under a new name.
    await page.getByTestId('duplicate-campaign').click();
    await page.getByTestId('wizard-name').waitFor();
    await expect.poll(() => page.getByTestId('campaign-name').inputValue()).toBe('Gran venta (copia)');
    await wizard.next();
    expect(await page.getByTestId('campaign-body').inputValue()).toBe('Gran venta hoy en la tienda.');
    await wizard.next();
    expect(await page.locator('[data-list-name="Clientes"]').isChecked()).toBe(true);

    // Left half done, the wizard comes back as it was; "Empezar de cero" clears it.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('page-contacts').waitFor();
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('new-campaign').click();
    await page.getByTestId('draft-restored').waitFor();
    await page.getByTestId('wizard-lists').waitFor();
    expect(await page.locator('[data-list-name="Clientes"]').isChecked()).toBe(true);
    await page.getByTestId('discard-draft').click();
    await page.getByTestId('wizard-name').waitFor();
    expect(await page.getByTestId('campaign-name').inputValue()).toBe('');
    expect(await page.getByTestId('draft-restored').count()).toBe(0);

    // A list whose only contact opted out: the review says nobody would get it, and why, instead of a missing date.
    const oscar = (await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 1, search: 'Óscar' })).rows[0] as Contact;
    await api('contacts.optOut', { id: oscar.id });
    const solo = await api<ContactList>('lists.create', { name: 'Solo Óscar' });
    await api('lists.addMembers', { listId: solo.id, contactIds: [oscar.id] });
    await page.reload();
    await page.getByTestId('campaign-name').fill('Nadie');
    await wizard.next();
    await page.getByTestId('campaign-body').fill('Hola {{nombre|}}, te saluda Luis de La Espiga. Si no deseas recibir más mensajes, responde CANCELAR');
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await wizard.next();
    await page.locator('[data-list-name="Solo Óscar"]').check();
    await wizard.next();
    await page.getByTestId('campaign-number').first().check();
    await wizard.next();
    await wizard.next();
    await page.getByTestId('start-now').check();
    await wizard.next();
    const nobody = page.getByTestId('summary-nobody');
    await nobody.waitFor();
    expect(await nobody.innerText()).toBe('Nadie recibiría esta campaña: el único contacto de las listas se omite (el motivo, arriba). Elige otras listas o revisa el mensaje.');
    expect(await page.getByTestId('skip-opted_out').innerText()).toBe('Se omiten: 1 dados de baja');
    expect(await page.getByTestId('summary-finish').count()).toBe(0);
    expect(await page.getByTestId('launch').isDisabled()).toBe(true);
    await screenshot(page, 'wizard-nobody');
  });
});
