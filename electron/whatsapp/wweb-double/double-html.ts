import fs from 'node:fs';
import type { DoubleVariant } from './variants';

/** The page served as https://web.whatsapp.com/: its settings, then the double's script, inline (nothing else loads). */
export function doubleHtml(config: { port: number; token: string; build: string; variant: DoubleVariant }): string {
  // Read when served, not when imported: the desktop bundle (CommonJS, no import.meta) carries this module unused.
  const script = fs.readFileSync(new URL('./page/double-page.js', import.meta.url), 'utf8');
  const settings = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>WhatsApp</title></head><body><div id="app"></div><script>window.__DOUBLE__ = ${settings};</script><script>${script.replace(/<\/script/gi, '<\\/script')}</script></body></html>`;
}
