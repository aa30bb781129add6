import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCrash, isNoLid, isWhatsAppChange } from '../../../electron/whatsapp/wwebjs-mapping';
import { unknownModuleOf } from '../../../electron/whatsapp/wweb/lazy-modules';

/**
 * #31 item 5: the classifiers fed with real `page.evaluate` failures, as the puppeteer-core we ship builds them in
 * Debian's Chromium — so this breaks the day puppeteer changes their shape again (puppeteer 24 sets `name` to the
 * error's class and strips the "TypeError: " prefix; the old "Evaluation failed: TypeError: …" text never comes).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser;
let page: Page;
let profile: string;

beforeAll(async () => {
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-page-errors-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  page = await browser.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

/** What `page.evaluate` rejects with when this code throws in the page. */
const failure = (code: string) => page.evaluate(code).then(() => new Error('did not throw'), (e: unknown) => e as Error);

describe('page.evaluate failures as puppeteer-core 24 gives them', () => {
  it('a function or module of WhatsApp Web that is gone is a change', async () => {
    const cases = [
      // wwebjs 201823: media on July-2026 builds.
      '(() => { const msg = {}; return msg.avParams(); })()',
      // A module renamed: reading a member of what `require` no longer returns.
      "(() => { const mod = undefined; return mod.sendMessageToID; })()",
      // A global the injected code expects (webpackJsonp in older reports).
      '(() => webpackJsonp.push([]))()',
      // WhatsApp's own loader asked for a module it does not know.
      "(() => { throw new Error('Requiring unknown module \"WAWebSendMsgChatAction\"'); })()",
    ];
    for (const code of cases) {
      const error = await failure(code);
      expect(error.message, code).not.toMatch(/^Evaluation failed/);
      expect(isWhatsAppChange(error), `${code} → ${error.name}: ${error.message}`).toBe(true);
      expect(isCrash(error)).toBe(false);
    }
  });

  it('a minified throw of WhatsApp\'s own code (OpenWA 757: `r: r`) and an ordinary error are not a change', async () => {
    const minified = await failure("(() => { class r extends Error { constructor() { super('r'); this.name = 'r'; } } throw new r(); })()");
    expect(minified.name).toBe('r');
    expect(isWhatsAppChange(minified)).toBe(false);
    const plain = await failure("(() => { throw new Error('no chat 5215512345678@c.us'); })()");
    expect(isWhatsAppChange(plain)).toBe(false);
  });

  it('"No LID for user" is told apart, whatever class carries it', async () => {
    const lid = await failure("(() => { throw new Error('No LID for user'); })()");
    expect(isNoLid(lid)).toBe(true);
    expect(isWhatsAppChange(lid)).toBe(false);
  });

  it('the module WhatsApp\'s loader did not know is read from the failure (its bundle is asked for before it counts as a change)', async () => {
    const error = await failure("(() => { throw new Error('Requiring unknown module \"WAWebPrepRawMedia\"'); })()");
    expect(unknownModuleOf(error)).toBe('WAWebPrepRawMedia');
    expect(unknownModuleOf(await failure("(() => { throw new Error('No LID for user'); })()"))).toBeNull();
  });

  it('a page that reloads under a call says its context was destroyed, with the browser alive (the driver waits for ready, no crash restart)', async () => {
    const reloading = await browser.newPage();
    await reloading.goto('data:text/html,<p>WhatsApp</p>');
    const pending = reloading.evaluate('new Promise(() => undefined)').then(() => new Error('resolved'), (e: unknown) => e as Error);
    await reloading.reload();
    const error = await pending;
    expect(error.message).toMatch(/Execution context was destroyed/);
    expect(browser.connected).toBe(true);
    await reloading.close();
  });

  it('a page that goes away under a call is a crash', async () => {
    const doomed = await browser.newPage();
    const pending = doomed.evaluate('new Promise(() => undefined)').then(() => new Error('resolved'), (e: unknown) => e as Error);
    await doomed.close();
    const error = await pending;
    expect(isCrash(error), `${error.name}: ${error.message}`).toBe(true);
    expect(isWhatsAppChange(error)).toBe(false);
  });
});
