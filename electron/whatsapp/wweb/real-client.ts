import fs from 'node:fs';
import { DriverError } from '../driver';
import type { WwebClient, WwebClientOptions } from './client-types';

/** whatsapp-web.js itself, loaded only when a real number starts (tests and the demo give their own client). */
export function browserArgs(): string[] {
  const args = ['--disable-gpu', '--no-first-run', '--disable-dev-shm-usage', '--disable-extensions'];
  // Chromium refuses to run as root without it (Linux servers, containers).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

export async function createRealClient(opts: WwebClientOptions): Promise<WwebClient> {
  const wweb = (await import('whatsapp-web.js')).default;
  const client = new wweb.Client({
    authStrategy: new wweb.LocalAuth({ clientId: opts.numberId, dataPath: opts.sessionsDir }),
    webVersionCache: { type: 'local', path: opts.cacheDir },
    puppeteer: { executablePath: opts.executablePath, headless: opts.headless, args: opts.args },
  });
  return client as unknown as WwebClient;
}

/** The file as WhatsApp should show it: the user's own file name and the stored MIME type (never the hash name). */
export async function createRealMedia(file: string, mimeType: string, fileName: string): Promise<unknown> {
  const wweb = (await import('whatsapp-web.js')).default;
  const data = (await fs.promises.readFile(file)).toString('base64');
  return new wweb.MessageMedia(mimeType, data, fileName);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new DriverError('timeout', message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function textOfError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
