import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TESTDATA } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { launchBrowser, screenshot } from './support/browser';
import { pageProblems } from './support/page-checks';
import { stoppedAfterEach } from './support/suite';
import { startWebApp } from './support/web-app';
import { CampaignPages } from './pages/campaign-pages';
import { ContactsPage } from './pages/contacts-page';
import { MessagesPage } from './pages/messages-page';
import { NumbersPage } from './pages/numbers-page';
import { ShellPage } from './pages/shell-page';

/**
 * A new user's first day, walked as they would on a laptop: an empty data folder in demo mode → the demo number →
 * an import → a message with an image → a campaign → its report. Every step must fit the window (no horizontal
 * scroll of the page or of a card, nothing drawn over anything), speak only Spanish, and never show a raw error;
 * each step is saved as a screenshot under test-results/ for a person to look at.
 */
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 800 },
];

const track = stoppedAfterEach();

/** One step of the journey: looked at, then kept as a screenshot. */
async function step(page: Page, size: { width: number }, name: string): Promise<void> {
  await page.waitForTimeout(150); // let the last render settle (fonts, the preview's debounce)
  await page.evaluate(() => window.scrollTo(0, 0)); // the page as it opens (the sidebar is sticky)
  await screenshot(page, `journey-${size.width}-${name}`);
  const problems = await pageProblems(page, 'es');
  expect({ step: name, ...problems }).toEqual({ step: name, overflow: [], foreign: [], raw: [] });
}

describe.each(SIZES)('a first day at $width×$height', (size) => {
  it('empty folder → demo number → import → message with an image → campaign → report', async () => {
    const browser = track(await launchBrowser(size));
    // No demo send fails for a moment: at the default 1 %, the test send below failed one run in a hundred (CI, stop 38).
    const web = track(await startWebApp(tempDir(), ['--demo', '--demo-failure-rate', '0']));
    const page = browser.page;
    const shell = new ShellPage(page);
    await shell.open(web.url);
    await page.locator('[data-testid="home-step-1"][data-done="false"]').waitFor();
    await step(page, size, '01-home');

    const numbers = new NumbersPage(page);
    await numbers.open();
    const demo = numbers.card('Número de demostración');
    await numbers.waitForState(demo, 'qr');
    await step(page, size, '02-numbers-qr');
    await demo.getByTestId('simulate-scan').click();
    await numbers.waitForState(demo, 'connected');
    await step(page, size, '03-numbers-linked');

    const contacts = new ContactsPage(page);
    await contacts.openImport();
    await step(page, size, '04-import-file');
    await contacts.chooseFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    await page.getByTestId('import-columns').waitFor();
    await step(page, size, '05-import-columns');
    await contacts.startImport();
    await page.getByTestId('import-summary').waitFor();
    await step(page, size, '06-import-summary');
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('page-contacts').waitFor();
    await page.getByTestId('contact-row').first().waitFor();
    await step(page, size, '07-contacts');

    const messages = new MessagesPage(page);
    await messages.open();
    await page.getByTestId('message-name').fill('Bienvenida');
    await messages.type('Hola {{primer_nombre|}}, soy Luis de *Panadería La Espiga*. Esta semana tenemos pan de muerto. Si no deseas recibir más mensajes, responde CANCELAR');
    await messages.attach(path.join(TESTDATA, 'media', 'promo.jpg'));
    await page.getByTestId('preview-list').selectOption({ label: 'clientes_utf8_bom_coma' });
    await page.getByTestId('bubble-image').first().waitFor();
    await step(page, size, '08-message');
    await page.getByTestId('test-to').fill('55 9876 5432');
    await page.getByTestId('test-send-button').click();
    await page.locator('[data-testid="test-status"][data-status="read"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('save-message').click();
    await page.getByTestId('save-status').waitFor();
    await step(page, size, '09-message-tested');

    const wizard = new CampaignPages(page);
    await wizard.startWizard();
    await step(page, size, '10-wizard-name');
    await page.getByTestId('campaign-name').fill('Pan de muerto');
    await wizard.next();
    await page.getByTestId('campaign-template').selectOption({ label: 'Bienvenida' });
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await step(page, size, '11-wizard-message');
    await wizard.next();
    await page.locator('[data-list-name="clientes_utf8_bom_coma"]').check();
    await step(page, size, '12-wizard-lists');
    await wizard.next();
    await page.getByTestId('campaign-number').first().check();
    await step(page, size, '13-wizard-numbers');
    await wizard.next();
    await page.getByTestId('pace-custom').check();
    await page.getByTestId('pace-custom-form').waitFor();
    await step(page, size, '14-wizard-pace');
    await wizard.next();
    await page.getByTestId('start-now').check();
    await page.getByTestId('window-on').check();
    await step(page, size, '15-wizard-when');
    await page.getByTestId('window-on').uncheck();
    await wizard.next();
    await page.getByTestId('campaign-summary').waitFor();
    // The review shows the attachment and each contact's own version, and no reminder: the test went out.
    expect(await page.getByTestId('review-attachment').innerText()).toBe('Con Imagen: promo.jpg');
    await expect.poll(() => page.getByTestId('campaign-summary').getByTestId('bubble-image').count()).toBe(2);
    expect(await page.getByTestId('test-reminder').count()).toBe(0);
    expect(await page.getByTestId('review-message').innerText()).toContain('Así lo recibirán');
    expect(await page.getByTestId('review-choices').innerText()).toContain('Pan de muerto');
    const firstDraw = await page.getByTestId('campaign-summary').getByTestId('preview-item').allInnerTexts();
    await page.getByTestId('campaign-preview-another').click(); // another draw: still two previews, with the image
    await expect.poll(() => page.getByTestId('campaign-summary').getByTestId('bubble-image').count()).toBe(2);
    expect(firstDraw).toHaveLength(2);
    await step(page, size, '16-wizard-summary');
    await wizard.launch();
    await wizard.waitForState('running');
    await page.getByTestId('campaign-preview').getByTestId('bubble-image').waitFor();
    await step(page, size, '17-campaign-running');
    await wizard.waitForState('completed', 90_000);
    await step(page, size, '18-campaign-completed');

    await page.getByTestId('open-report').click();
    await page.getByTestId('page-report').waitFor();
    await page.locator('[data-testid="report-chart"] canvas').waitFor();
    await page.getByTestId('report-row').first().waitFor();
    await step(page, size, '19-report');

    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('page-inbox').waitFor();
    await step(page, size, '20-inbox');
    await shell.goToSettings();
    await step(page, size, '21-settings');
    await shell.goHome();
    await page.getByTestId('dashboard').waitFor();
    // Every first step is ticked off now that it is done.
    for (const n of [1, 2, 3, 4]) await page.locator(`[data-testid="home-step-${n}"][data-done="true"]`).waitFor();
    await step(page, size, '22-home-after');
  }, 240_000);
});
