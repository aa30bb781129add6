import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db';
import { searchKey } from '../../shared/search-key';
import { suiteTempDir } from '../helpers/temp-dir';
import { ContactsPage } from './pages/contacts-page';
import { ShellPage } from './pages/shell-page';
import { launchBrowser, screenshot } from './support/browser';
import { startWebApp, type WebApp } from './support/web-app';

const MILLION = 1_000_000;
let web: WebApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

/**
 * A million contacts in Chromium (#34): the table reaches its last row (Chromium caps a page element's height near
 * 33.5 million pixels, which at 44 px a row stopped the scroll at the 762,000th), its middle is where the scrollbar
 * says, and a search finds one person among them.
 */
beforeAll(async () => {
  const dataDir = suiteTempDir();
  // Written straight to the data folder's database before the app starts (an import of a million has its own bench).
  const db = openDatabase(path.join(dataDir, 'whatzme.db'));
  const insert = db.prepare('INSERT INTO contacts (phone, name, name_key, fields, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');
  db.transaction(() => {
    for (let i = 1; i <= MILLION; i++) {
      const name = `Cliente ${i}`;
      insert.run(`+52${String(5500000000 + i)}`, name, searchKey(name), '{}');
    }
  })();
  db.close();
  browser = await launchBrowser({ width: 1280, height: 720 });
  web = await startWebApp(dataDir);
  await new ShellPage(browser.page).open(web.url);
}, 120_000);
afterAll(async () => {
  await web?.stop();
  await browser?.close();
});

/** The rows on screen with their data: index and name. */
async function shown(page: typeof browser.page): Promise<{ index: number; name: string }[]> {
  return page.$$eval('[data-testid="contact-row"]', (rows) =>
    rows
      .filter((r) => r.querySelector('[data-testid="contact-name"]'))
      .map((r) => ({ index: Number(r.getAttribute('data-index')), name: r.querySelector('[data-testid="contact-name"]')?.textContent ?? '' })),
  );
}

describe('a million contacts in the table', () => {
  it('scrolls to the last row and to the middle, each row where it belongs, and finds one person', async () => {
    const page = browser.page;
    await new ContactsPage(page).openContacts();
    await page.waitForFunction(() => document.querySelector('[data-testid="contacts-count"]')?.textContent?.includes('1,000,000') || document.querySelector('[data-testid="contacts-count"]')?.textContent?.includes('1 000 000'));
    const scroller = page.getByTestId('contacts-scroll');
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="contact-name"]')].some((n) => n.textContent === 'Cliente 1000000'));
    const end = await shown(page);
    expect(end.every((row) => row.name === `Cliente ${row.index + 1}`)).toBe(true);
    // The last row sits at the bottom of the table, in view.
    const last = page.locator('[data-testid="contact-row"][data-index="999999"]');
    expect(await last.isVisible()).toBe(true);
    const [rowBox, scrollBox] = [await last.boundingBox(), await scroller.boundingBox()];
    expect(Math.abs((rowBox?.y ?? 0) + (rowBox?.height ?? 0) - ((scrollBox?.y ?? 0) + (scrollBox?.height ?? 0)))).toBeLessThan(30);
    await screenshot(page, 'contacts-million-last-row');

    // The scrollbar's middle is the list's middle.
    await scroller.evaluate((el) => el.scrollTo({ top: (el.scrollHeight - el.clientHeight) / 2 }));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="contact-row"]')].some((r) => Math.abs(Number(r.getAttribute('data-index')) - 500_000) < 20 && r.querySelector('[data-testid="contact-name"]')));
    const middle = await shown(page);
    expect(middle.every((row) => row.name === `Cliente ${row.index + 1}`)).toBe(true);
    expect(await page.locator('[data-testid="contact-row"]').count()).toBeLessThan(60);

    // One person among a million, by name and by phone.
    await page.getByTestId('contacts-search').fill('cliente 987654');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="contact-name"]').length === 1 && document.querySelector('[data-testid="contact-name"]')?.textContent === 'Cliente 987654');
    await page.getByTestId('contacts-search').fill('5500987654');
    await page.waitForFunction(() => document.querySelector('[data-testid="contact-name"]')?.textContent === 'Cliente 987654');
  });
});
