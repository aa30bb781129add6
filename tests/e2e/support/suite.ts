import { afterAll, afterEach, beforeAll } from 'vitest';
import { suiteTempDir } from '../../helpers/temp-dir';
import { ShellPage } from '../pages/shell-page';
import { launchBrowser } from './browser';
import { startWebApp, type WebApp } from './web-app';

export type Suite = { browser: Awaited<ReturnType<typeof launchBrowser>>; web: WebApp };

/** One Chromium and one web-mode app (on a fresh data folder, with `args`) for a whole test file, already signed in. */
export function webAppSuite(args: string[] = []): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.browser = await launchBrowser();
    suite.web = await startWebApp(suiteTempDir(), args);
    await new ShellPage(suite.browser.page).open(suite.web.url);
  });
  afterAll(async () => {
    await suite.web.stop();
    await suite.browser.close();
  });
  return suite;
}

type Stoppable = { stop(): Promise<void> } | { close(): Promise<void> };

/** Web apps and browsers a test starts, stopped after it however it ends: `const app = track(await startWebApp(…))`. */
export function stoppedAfterEach(): <T extends Stoppable>(item: T) => T {
  const items: Stoppable[] = [];
  afterEach(async () => {
    for (const item of items.splice(0).reverse()) await ('stop' in item ? item.stop() : item.close());
  });
  return (item) => {
    items.push(item);
    return item;
  };
}
