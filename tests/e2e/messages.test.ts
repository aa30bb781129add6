import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TESTDATA } from '../helpers/paths';
import { CHROMIUM, screenshot } from './support/browser';
import { webAppSuite } from './support/suite';
import { ContactsPage } from './pages/contacts-page';
import { MessagesPage } from './pages/messages-page';
import { NumbersPage } from './pages/numbers-page';

// WhatsApp Web runs in Debian's Chromium here, named as a user would name it: no H.264, so no video sends. The demo
// number never fails a send by chance here (1% of them otherwise): the test send is watched until it is read.
const suite = webAppSuite(['--browser', CHROMIUM, '--demo-failure-rate', '0']);

describe('Mensajes in Chromium', () => {
  it('composes with a field, a variation and an image, previews for two contacts, fixes the opt-out, test-sends through a demo number', async () => {
    const page = suite.browser.page;
    // A demo number to send from, and real contacts to preview with.
    await new NumbersPage(page).linkDemo('Número de demostración', true);
    await new ContactsPage(page).importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));

    const messages = new MessagesPage(page);
    await messages.open();
    await page.getByTestId('message-name').fill('Promo de noviembre');
    await messages.type('{Hola|Buen día} ');
    await messages.body().press('End');
    await messages.insertField('Ciudad');
    await messages.body().press('End');
    await messages.body().pressSequentially(', te saluda Luis de *Panadería La Espiga*.');
    await expect.poll(() => messages.body().inputValue()).toBe('{Hola|Buen día} {{Ciudad}}, te saluda Luis de *Panadería La Espiga*.');
    await messages.attach(path.join(TESTDATA, 'media', 'promo.jpg'));

    await page.getByTestId('preview-list').selectOption({ label: 'clientes_utf8_bom_coma' });
    // The preview follows the text with a short delay: wait for the bubbles of the final text.
    const expected = /^(Hola|Buen día) (CDMX|Monterrey|Guadalajara|San Francisco|Puebla), te saluda Luis de Panadería La Espiga\.$/;
    await expect.poll(async () => { const texts = await messages.bubbles(); return texts.length === 2 && texts.every((text) => expected.test(text)); }, { timeout: 10_000 }).toBe(true);
    expect(await page.locator('[data-testid="bubble"] strong').first().innerText()).toBe('Panadería La Espiga');
    expect(await page.getByTestId('bubble-image').count()).toBe(2);
    expect(await page.getByTestId('attachment-kind').innerText()).toBe('Imagen');
    expect(await page.getByTestId('preview-panel').getByTestId('preview-item').count()).toBe(2);
    // Two other contacts (or another draw of the variation): still two previews of the same text.
    await page.getByTestId('preview-another').click();
    await expect.poll(async () => { const texts = await messages.bubbles(); return texts.length === 2 && texts.every((text) => expected.test(text)); }, { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('score').innerText()).toMatch(/^Puntuación \d+\/100$/);

    await page.getByTestId('check-no_opt_out').waitFor();
    expect(await page.getByTestId('checks-panel').innerText()).toContain('No dice cómo darse de baja');
    await screenshot(page, 'messages-compose');
    await page.getByTestId('fix-no_opt_out').click();
    await expect.poll(() => messages.body().inputValue()).toContain('Si no deseas recibir más mensajes, responde CANCELAR');
    await page.getByTestId('check-no_opt_out').waitFor({ state: 'detached' });

    // The one connected number is the sender; the test goes as one of the list's contacts, fields and all.
    expect(await page.getByTestId('test-number').locator('option').count()).toBe(1);
    await page.getByTestId('test-as').selectOption({ index: 1 });
    await page.getByTestId('test-to').fill('55 9876 5432');
    await page.getByTestId('test-send-button').click();
    const status = page.getByTestId('test-status');
    await page.locator('[data-testid="test-status"][data-status="delivered"], [data-testid="test-status"][data-status="read"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="test-status"][data-status="read"]').waitFor({ timeout: 15_000 });
    expect(await status.innerText()).toContain('Leído');
    await screenshot(page, 'messages-test-read');

    await page.getByTestId('save-message').click();
    await page.getByTestId('save-status').waitFor();
    // The saved list is fetched again once the save is answered: it may come a moment after the status.
    await expect.poll(() => page.getByTestId('template-item').allInnerTexts()).toEqual(['Promo de noviembre']);
  });

  it('shows edit-time errors with their position and refuses programs as attachments', async () => {
    const page = suite.browser.page;
    const messages = new MessagesPage(page);
    await messages.open();
    await page.getByTestId('new-message').click();
    // A new, empty message is not one with errors: it says what to write (#30 item 7).
    await page.getByTestId('message-empty').waitFor();
    // The edit-time check of the empty box has answered (its score shows): still no errors.
    await page.getByTestId('score').waitFor();
    expect(await page.getByTestId('message-errors').count()).toBe(0);
    await page.getByTestId('add-variation').click();
    await expect.poll(() => messages.body().inputValue()).toContain('{Hola|Buen día|Qué tal}');
    await messages.body().fill('');
    await messages.type('Hola {{nombre}}\nmira {{Colonia}} y {esto');
    const errors = page.getByTestId('message-errors');
    await errors.waitFor();
    expect(await errors.innerText()).toContain('Línea 2, columna 6: no existe el campo «Colonia» en tus contactos');
    expect(await errors.innerText()).toContain('falta cerrar la variación');
    await page.getByTestId('attach-file').setInputFiles(path.join(TESTDATA, 'media', 'no_es_imagen.jpg'));
    await page.getByTestId('attach-error').waitFor();
    expect(await page.getByTestId('attach-error').innerText()).toContain('Los programas nunca se envían');
  });

  it('says what each kind of attachment means for the send: heavy, audio (text apart), video (this browser cannot)', async () => {
    const page = suite.browser.page;
    const messages = new MessagesPage(page);
    await messages.open();
    await messages.newMessage({ discardUnsaved: true }); // the last test's text with errors was never saved
    await messages.type('Hola {{nombre|}}, te saluda Luis de La Espiga. Si no deseas recibir más mensajes, responde CANCELAR');
    await page.getByTestId('preview-list').selectOption({ label: 'clientes_utf8_bom_coma' });

    await messages.attach(path.join(TESTDATA, 'media', 'foto_pesada.jpg'));
    expect(await page.getByTestId('slow-warning').innerText()).toBe('El archivo pesa más de 1 MB: cada envío será más lento.');
    expect(await page.getByTestId('text-apart-note').count()).toBe(0);
    await messages.removeAttachment();
    expect(await page.getByTestId('slow-warning').count()).toBe(0);

    // An audio carries no caption: the preview draws the text as a second bubble, after the audio.
    await messages.attach(path.join(TESTDATA, 'media', 'aviso.mp3'));
    expect(await page.getByTestId('attachment-kind').innerText()).toBe('Audio');
    expect(await page.getByTestId('text-apart-note').innerText()).toContain('llegará como un segundo mensaje');
    expect(await page.getByTestId('slow-warning').count()).toBe(0);
    await expect.poll(() => page.getByTestId('bubble-apart').count(), { timeout: 10_000 }).toBe(2);
    // The preview follows the text with a short delay: the bubbles may still be the last test's text for a moment.
    await expect.poll(() => page.getByTestId('bubble-apart').first().innerText(), { timeout: 10_000 }).toContain('te saluda Luis de La Espiga');
    expect(await page.locator('[data-testid="bubble"] [data-testid="bubble-text"]').count()).toBe(0);
    // The player shows the audio's length (its metadata is loaded), not 0:00 / 0:00.
    const duration = await page.getByTestId('bubble-audio').first().evaluate(
      (audio: HTMLAudioElement) => new Promise<number>((resolve) => (audio.readyState >= 1 ? resolve(audio.duration) : audio.addEventListener('loadedmetadata', () => resolve(audio.duration)))),
    );
    expect(duration).toBeGreaterThan(0.5);
    await screenshot(page, 'messages-audio');
    await messages.removeAttachment();

    await messages.attach(path.join(TESTDATA, 'media', 'catalogo.pdf'));
    expect(await page.getByTestId('attachment-kind').innerText()).toBe('Documento');
    await expect.poll(() => page.getByTestId('bubble-doc').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('bubble-doc').first().innerText()).toContain('catalogo.pdf');
    await messages.removeAttachment();

    await messages.attach(path.join(TESTDATA, 'media', 'video.mp4'));
    expect(await page.getByTestId('attachment-kind').innerText()).toBe('Video');
    expect(await page.getByTestId('video-browser-warning').innerText()).toContain('Instala Google Chrome o Microsoft Edge');
    await expect.poll(() => page.getByTestId('bubble-video').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('bubble-apart').count()).toBe(0);
    expect(await page.getByTestId('bubble-text').count()).toBe(2); // a video takes the text as its caption
    await screenshot(page, 'messages-video');
  });

  it('says when edits are unsaved and asks before they are lost: leaving the page, or opening another message', async () => {
    const page = suite.browser.page;
    const messages = new MessagesPage(page);
    await messages.open();
    // The last test left a message with a video, never saved: a new message asks what to do with it first.
    await page.getByTestId('new-message').click();
    await page.getByTestId('unsaved-confirm').waitFor();
    expect(await page.getByTestId('unsaved-confirm').innerText()).toContain('Tienes un mensaje sin guardar.');
    await page.getByTestId('unsaved-discard').click();
    await expect.poll(() => messages.body().inputValue()).toBe('');
    expect(await page.getByTestId('attachment').count()).toBe(0);
    await page.getByTestId('message-name').fill('Recordatorio');
    await messages.type('Hola {{nombre|}}, te recordamos tu pedido. Si no deseas recibir más mensajes, responde CANCELAR');
    await page.getByTestId('save-message').click();
    await page.getByTestId('save-status').waitFor();
    expect(await page.getByTestId('save-status').innerText()).toBe('Guardado');
    // Typing on after a save: no longer "Guardado".
    await messages.body().press('End');
    await messages.body().pressSequentially(' Gracias.');
    await page.getByTestId('unsaved').waitFor();
    expect(await page.getByTestId('save-status').count()).toBe(0);

    // Leaving asks; "Seguir editando" keeps the page and the text.
    await page.getByTestId('nav-campaigns').click();
    const ask = page.getByTestId('unsaved-confirm');
    await ask.waitFor();
    expect(await ask.innerText()).toContain('Tienes cambios sin guardar en «Recordatorio».');
    await screenshot(page, 'messages-unsaved');
    await page.getByTestId('unsaved-stay').click();
    await ask.waitFor({ state: 'detached' });
    expect(await page.getByTestId('page-messages').isVisible()).toBe(true);
    expect(await messages.body().inputValue()).toContain('Gracias.');

    // Opening another message asks too; "Guardar y seguir" saves, then opens it.
    await page.getByTestId('template-item').filter({ hasText: 'Promo de noviembre' }).click();
    await ask.waitFor();
    await page.getByTestId('unsaved-save').click();
    await expect.poll(() => page.getByTestId('message-name').inputValue()).toBe('Promo de noviembre');
    await page.getByTestId('template-item').filter({ hasText: 'Recordatorio' }).click(); // nothing unsaved: opens at once
    await expect.poll(() => messages.body().inputValue()).toContain('tu pedido. Si no deseas recibir más mensajes, responde CANCELAR Gracias.');

    // "Descartar cambios" leaves without saving.
    await messages.body().pressSequentially(' Borrador');
    await page.getByTestId('nav-campaigns').click();
    await ask.waitFor();
    await page.getByTestId('unsaved-discard').click();
    await page.getByTestId('page-campaigns').waitFor();
    await messages.open();
    await page.getByTestId('template-item').filter({ hasText: 'Recordatorio' }).click();
    await expect.poll(() => messages.body().inputValue()).toMatch(/Gracias\.$/);
  });
});
