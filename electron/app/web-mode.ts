import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from './create-app';
import { mainText, type MainTextKey } from '../i18n';
import { defaultDataDir } from './paths';
import { serveApp, type ServedApp } from './serve-app';
import { PREFERRED_PORT, loadWebAccess } from '../server/web-access';
import { isBrowserExecutable } from '../whatsapp';
import { startupErrorText } from './startup-error';
import { ScaledClock } from '../core/clock';
import { installProcessGuards } from '../core/process-guards';
import { runWorkersFrom } from '../core/worker';
import type { Logger } from '../core/logger';

/** Defined by scripts/build-electron.mjs's web bundle (`npm run web`): its worker entries are beside it. */
declare const WHATZME_WEB_BUNDLE: boolean | undefined;
if (typeof WHATZME_WEB_BUNDLE !== 'undefined' && WHATZME_WEB_BUNDLE) runWorkersFrom(path.dirname(fileURLToPath(import.meta.url)));

let log: Logger | undefined;
installProcessGuards(() => log);

/** `npm run web`: the whole app on 127.0.0.1, in the default browser. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'new-token': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      // With --demo: demo numbers run whatsapp-web.js in a real headless browser against the WhatsApp Web double.
      'demo-browser': { type: 'boolean', default: false },
      browser: { type: 'string' },
      // Links to files on the user's own network (a NAS, a test server), and a CA of their own: both off by default.
      'allow-private-links': { type: 'boolean', default: false },
      'links-ca': { type: 'string' },
      // Another update feed (a company mirror, or a test's on this machine; plain http only on 127.0.0.1).
      'update-feed': { type: 'string' },
      // How often the demo's contacts write back to a read message (0–1; 0.08 by default): 0 for a quiet demo.
      'demo-reply-rate': { type: 'string' },
      // How often one demo send fails for a moment and is retried 30 s later (0–1; 0.01 by default): 0 for a test.
      'demo-failure-rate': { type: 'string' },
      // With --demo: the demo's clock runs this many times faster (e.g. 3600: an hour a second), to watch a follow-up
      // days later or a weekly campaign's next run without waiting for them. Everything the demo stores is on it.
      'demo-speed': { type: 'string' },
      // Where Meta's webhooks for Cloud API numbers arrive (the port the user's tunnel points at; 8790 by default).
      'webhook-port': { type: 'string' },
      // Another Graph API address for Cloud numbers (a company proxy, or a test's mock; graph.facebook.com by default).
      'graph-url': { type: 'string' },
    },
    strict: true,
  });
  // The project's folder: above dist-web/ (the bundle) or above electron/app/ (tsx from the sources).
  let root = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) root = path.dirname(root);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const askedPort = values.port === undefined ? null : Number(values.port);

  const replyRate = demoRate(values['demo-reply-rate'], 'web.replyRateInvalid');
  const failureRate = demoRate(values['demo-failure-rate'], 'web.failureRateInvalid');
  const speed = values['demo-speed'] === undefined ? undefined : Number(values['demo-speed']);
  if (speed !== undefined && !(values.demo && speed >= 1 && speed <= 1_000_000)) {
    process.stderr.write(`${mainText('es', 'web.demoSpeedInvalid')}\n${mainText('en', 'web.demoSpeedInvalid')}\n`);
    process.exit(1);
  }
  const simBehaviour = { ...(replyRate === undefined ? {} : { replyRate }), ...(failureRate === undefined ? {} : { transientFailureRate: failureRate }) };

  let app;
  try {
    const privateLinks = values['allow-private-links'];
    const ca = values['links-ca'] === undefined ? undefined : fs.readFileSync(path.resolve(values['links-ca']));
    const mediaLinkOptions = { ...(privateLinks ? { allowAddress: (address: string) => address !== '0.0.0.0' && address !== '::' } : {}), ...(ca ? { ca } : {}) };
    const updates = values['update-feed'] === undefined ? undefined : { feedUrl: values['update-feed'], allowHttpLoopback: true };
    app = await createApp({ dataDir, version: pkg.version, mode: 'web', demo: values.demo, ...(speed ? { clock: new ScaledClock(Date.now(), speed) } : {}), demoBrowser: values.demo && values['demo-browser'], mediaLinkOptions, updates, simBehaviour, ...(values['graph-url'] ? { cloud: { graphUrl: values['graph-url'] } } : {}) });
  } catch (error) {
    process.stderr.write(`${startupErrorText(error, dataDir, 'es')}\n${startupErrorText(error, dataDir, 'en')}\n`);
    process.exit(1);
  }
  log = app.logger;
  const language = app.settings.get().language;
  // Web mode has no native file dialog: the browser for WhatsApp Web is named on the command line, and checked.
  if (values.browser !== undefined) {
    const browser = path.resolve(values.browser);
    if (!isBrowserExecutable(browser)) {
      process.stderr.write(`${mainText(language, 'web.browserInvalid', { path: browser })}\n`);
      await app.close();
      process.exit(1);
    }
    app.settings.setBrowserPath(browser);
  }
  // Demo mode on a fresh data folder starts with a demo number, so the whole app can be tried without a phone.
  if (values.demo && app.sessions.list().length === 0) app.sessions.add('demo');

  // The same address every run (token and port kept in the data folder), so a bookmark keeps working.
  const port = askedPort ?? loadWebAccess(dataDir).port ?? PREFERRED_PORT;
  let served: ServedApp;
  try {
    served = await serveApp(app, { dataDir, rendererDir: path.join(root, 'dist', 'renderer'), version: pkg.version, askedPort, renewToken: values['new-token'], ...(values['webhook-port'] ? { webhookPort: Number(values['webhook-port']) } : {}) });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    process.stderr.write(`${inUse ? mainText(language, 'web.portInUse', { port }) : String(error)}\n`);
    await app.close();
    process.exit(1);
  }
  const { server, portChanged } = served;

  process.stdout.write(
    `${portChanged ? `${mainText(language, 'web.portChanged', { port })}\n` : ''}${mainText(language, 'web.listening')}\n\n  ${server.url}\n\n${mainText(language, 'web.bookmark')}\n${mainText(language, 'web.dataDir', { dir: dataDir })}\n${mainText(language, 'web.keepOpen')}\n`,
  );
  if (values['allow-private-links']) process.stdout.write(`${mainText(language, 'web.privateLinks')}\n`);
  app.logger.info({ port: server.port }, 'web mode listening');
  // Web mode only says a new version exists (from the same feed as the desktop app); it installs nothing.
  app.updates.start();
  if (!values['no-open']) openBrowser(server.url);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await served.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** A demo rate flag (0–1), or undefined when not given; out of range, it says why in both languages and exits. */
function demoRate(value: string | undefined, invalid: MainTextKey): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (rate >= 0 && rate <= 1) return rate;
  process.stderr.write(`${mainText('es', invalid)}\n${mainText('en', invalid)}\n`);
  process.exit(1);
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '""', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined); // no opener installed: the printed URL is enough
  child.unref();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
