import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT, TESTDATA } from './paths';

const TLS = path.join(REPO_ROOT, 'tests', 'fixtures', 'tls');
/** The test server's self-signed certificate (CN and SAN 127.0.0.1), for the fetcher to trust in tests only. */
export const TEST_CA = fs.readFileSync(path.join(TLS, 'cert.pem'));

/**
 * A local https server standing for the links users' systems send: good files, a slow one, a huge one, one that
 * lies about its type, a cut-off one, and redirects (to https, to http, to a private address, in a loop).
 */
export async function httpsMediaServer() {
  const hits = new Map<string, number>();
  let port = 0;
  const media = (name: string) => fs.readFileSync(path.join(TESTDATA, 'media', name));
  const server = https.createServer({ key: fs.readFileSync(path.join(TLS, 'key.pem')), cert: TEST_CA }, (req, res) => {
    const url = new URL(req.url ?? '/', `https://127.0.0.1:${port}`);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    switch (url.pathname) {
      case '/promo.jpg':
      case '/catalogo.pdf':
      case '/foto_pesada.jpg': {
        const body = media(url.pathname.slice(1));
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
        return;
      }
      case '/mal%E0%A4%A.pdf':
        // A malformed %-escape in the path (#29 item 8): the name is kept as written.
        res.writeHead(200, { 'Content-Type': 'application/pdf' }).end(media('catalogo.pdf'));
        return;
      case '/nombre-malo':
        res.writeHead(200, { 'Content-Disposition': "attachment; filename*=UTF-8''precios%E0%A4%A.pdf" }).end(media('catalogo.pdf'));
        return;
      case '/descarga':
        res.writeHead(200, { 'Content-Disposition': 'attachment; filename="lista de precios.pdf"' }).end(media('catalogo.pdf'));
        return;
      case '/no_es_imagen.jpg':
        // A program with an image's name and type: the bytes say what it is.
        res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(media('no_es_imagen.jpg'));
        return;
      case '/lento.jpg': {
        // Headers at once, then nothing for longer than any time limit a test sets.
        res.writeHead(200, { 'Content-Type': 'image/jpeg' });
        res.write(media('promo.jpg').subarray(0, 100));
        const timer = setTimeout(() => res.end(), 30_000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case '/enorme.bin': {
        // No Content-Length, and more bytes than the limit: counted as they come.
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 0xff);
        chunk[0] = 0xff;
        let sent = 0;
        const pump = () => {
          while (sent < 40 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case '/grande-declarado.jpg':
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(50 * 1024 * 1024) }).end();
        return;
      case '/cortado.jpg': {
        const body = media('promo.jpg');
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': body.length });
        res.write(body.subarray(0, 1000));
        setTimeout(() => res.destroy(), 50);
        return;
      }
      case '/ir-a-promo':
        res.writeHead(302, { Location: '/promo.jpg' }).end();
        return;
      case '/ir-a-http':
        res.writeHead(301, { Location: `http://127.0.0.1:${port}/promo.jpg` }).end();
        return;
      case '/ir-a-privada':
        res.writeHead(302, { Location: 'https://10.0.0.7/promo.jpg' }).end();
        return;
      case '/vueltas':
        res.writeHead(302, { Location: '/vueltas' }).end();
        return;
      case '/no-existe':
      default:
        res.writeHead(404).end('no');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: (p: string) => `https://127.0.0.1:${port}${p}`,
    hits: (p: string) => hits.get(p) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
