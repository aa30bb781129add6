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
    // The Campañas list shows the draft first, to go on with it (#30 item 7).
    const draftRow = page.getByTestId('draft-row');
    await draftRow.waitFor();
    expect(await draftRow.innerText()).toContain('Gran venta (copia)');
    expect(await draftRow.innerText()).toContain('Borrador');
    await draftRow.getByTestId('draft-continue').click();
    await page.getByTestId('draft-restored').waitFor();
    await page.getByTestId('wizard-lists').waitFor();
    expect(await page.locator('[data-list-name="Clientes"]').isChecked()).toBe(true);
    // Every choice comes back as it was left, the unticked ones unticked (#30 item 7): the number, the pace, and
    // "skip who got a message in 24 h", which the copied campaign had off.
    await wizard.next();
    expect(await page.getByTestId('campaign-number').first().isChecked()).toBe(true);
    await wizard.next();
    expect(await page.getByTestId('pace-standard').isChecked()).toBe(true);
    await wizard.next();
    expect(await page.getByTestId('skip-recent').isChecked()).toBe(false);
    expect(await page.getByTestId('window-on').isChecked()).toBe(false);
    await page.getByTestId('discard-draft').click();
    await page.getByTestId('wizard-name').waitFor();
    expect(await page.getByTestId('campaign-name').inputValue()).toBe('');
    expect(await page.getByTestId('draft-restored').count()).toBe(0);
    // A draft discarded from the list is gone from the wizard too.
    await page.getByTestId('campaign-name').fill('Para descartar');
    await page.getByTestId('nav-campaigns').click();
    await draftRow.getByTestId('draft-discard').click();
    await draftRow.waitFor({ state: 'detached' });
    await page.getByTestId('new-campaign').click();
    await page.getByTestId('wizard-name').waitFor();
    expect(await page.getByTestId('campaign-name').inputValue()).toBe('');

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

  it('says why it cannot go on: an empty message, a field in single braces fixed in one click, an inverted pace, an inverted window (#30 item 7)', async () => {
    const page = suite.browser.page;
    const wizard = new CampaignPages(page);
    // The test before leaves a half-done wizard: start over.
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('new-campaign').click();
    await page.getByTestId('wizard-name').or(page.getByTestId('draft-restored')).first().waitFor();
    if (await page.getByTestId('discard-draft').count()) await page.getByTestId('discard-draft').click();
    await page.getByTestId('wizard-name').waitFor();
    await page.getByTestId('campaign-name').fill('Rosca de reyes');
    await wizard.next();
    // An empty box is not "errors": it asks for the message.
    await page.getByTestId('campaign-body').fill('');
    expect(await page.getByTestId('message-empty').innerText()).toBe('Escribe el mensaje, o elige uno guardado.');
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true);
    // {nombre} would arrive as the word: one click makes it {{nombre}}.
    await page.getByTestId('campaign-body').fill('Hola {nombre}, te saluda Luis de La Espiga. Si no deseas más mensajes, responde BAJA');
    const braces = page.getByTestId('single-braces');
    await braces.waitFor();
    expect(await braces.innerText()).toContain('¿Quisiste decir {{nombre}}?');
    await page.getByTestId('fix-single_braces').click();
    await expect.poll(() => page.getByTestId('campaign-body').inputValue()).toBe('Hola {{nombre}}, te saluda Luis de La Espiga. Si no deseas más mensajes, responde BAJA');
    await braces.waitFor({ state: 'detached' });
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await wizard.next();
    await page.locator('[data-list-name="Clientes"]').check();
    await wizard.next();
    await page.getByTestId('campaign-number').first().check();
    await wizard.next();
    // "de 10 a 3 s" between messages is refused, in words, and "Siguiente" waits for it.
    await page.getByTestId('pace-custom').check();
    await page.getByLabel('Espera entre mensajes (segundos): de').fill('10');
    await page.getByLabel('Espera entre mensajes (segundos): a').fill('3');
    expect(await page.getByTestId('pace-invalid').innerText()).toBe('Revisa «Espera entre mensajes (segundos)»: termina antes de empezar (el segundo número debe ser igual o mayor que el primero).');
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true);
    await screenshot(page, 'wizard-pace-inverted');
    await page.getByLabel('Espera entre mensajes (segundos): a').fill('12');
    await page.getByTestId('pace-invalid').waitFor({ state: 'detached' });
    // A step already done is a way back (the ones ahead are not buttons); what was chosen is kept.
    expect(await page.locator('.wizard-steps li.ahead button').count()).toBe(0);
    await page.getByTestId('step-lists').click();
    await page.getByTestId('wizard-lists').waitFor();
    expect(await page.locator('[data-list-name="Clientes"]').isChecked()).toBe(true);
    await wizard.next();
    await wizard.next();
    expect(await page.getByLabel('Espera entre mensajes (segundos): de').inputValue()).toBe('10');
    await wizard.next();
    // A window from 18:00 to 09:00 says why "Siguiente" is off.
    await page.getByTestId('window-on').check();
    await page.getByTestId('window-from').fill('18:00');
    await page.getByTestId('window-to').fill('09:00');
    expect(await page.getByTestId('window-invalid').innerText()).toBe('El horario termina (09:00) antes de empezar (18:00): la hora después de «a» debe ser más tarde que la de «De».');
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true);
    for (const [width, height] of [[1280, 720], [1366, 800]] as const) {
      await page.setViewportSize({ width, height });
      await screenshot(page, `wizard-window-inverted-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('window-to').fill('20:00');
    await page.getByTestId('window-invalid').waitFor({ state: 'detached' });
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(false);
  });
});
