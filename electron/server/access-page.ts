import type http from 'node:http';
import { mainText } from '../i18n';
import type { Language } from '../../shared/types';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * What a browser gets for a page without a valid token (an old link, another computer's bookmark, a cleared
 * cookie): a page in words, Spanish first, that says where the right address is. Never the API's JSON.
 */
export function sendAccessPage(res: http.ServerResponse): void {
  const section = (language: Language) => `<section lang="${language}">
<h1>${escape(mainText(language, 'web.noAccess.title'))}</h1>
<p>${escape(mainText(language, 'web.noAccess.where'))}</p>
<p>${escape(mainText(language, 'web.noAccess.closed'))}</p>
</section>`;
  const html = `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>WhatzMe Desktop</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2939;line-height:1.5}h1{font-size:1.3rem}section+section{margin-top:2rem;padding-top:1rem;border-top:1px solid #d0d5dd;color:#475467}</style>
</head><body>
${section('es')}
${section('en')}
</body></html>`;
  res.writeHead(401, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(html);
}
