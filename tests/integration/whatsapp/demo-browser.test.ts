import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { MediaView, TestSend } from '../../../shared/messages';
import type { NumberView } from '../../../shared/numbers';
import { SimWorld } from '../../../electron/whatsapp/sim-world';
import { apiOf, until } from '../../e2e/support/api';
import { startWebApp, type WebApp } from '../../e2e/support/web-app';
import { request } from '../../helpers/http';
import { TESTDATA } from '../../helpers/paths';
import { processesMentioning } from '../../helpers/processes';
import { tempDir } from '../../helpers/temp-dir';

let web: WebApp | undefined;
afterEach(async () => {
  await web?.stop();
  web = undefined;
}, 30_000);

/** The app's live events (`/api/events`), as the UI gets them. */
function events(app: WebApp): { seen: { event: string; payload: unknown }[]; close(): void } {
  const token = new URL(app.url).searchParams.get('token') ?? '';
  const socket = new WebSocket(`ws://127.0.0.1:${app.port}/api/events`, { headers: { Origin: app.origin, Authorization: `Bearer ${token}` } });
  const seen: { event: string; payload: unknown }[] = [];
  socket.on('message', (data: Buffer) => seen.push(JSON.parse(String(data)) as { event: string; payload: unknown }));
  return { seen, close: () => socket.close() };
}

/**
 * #31 item 4: `npm run web -- --demo --demo-browser` runs the demo number through the real driver — whatsapp-web.js
 * in Debian's Chromium, headless — against the WhatsApp Web double, with the demo's buttons working as on the
 * simulator; the browser goes with the app.
 */
describe('the demo in a real browser', () => {
  it('links the demo number by simulateScan, a test send with an image reaches "delivered", WhatsApp changing stops it and Reintentar brings it back; no Chromium outlives the app', async () => {
    const dataDir = tempDir();
    web = await startWebApp(dataDir, ['--demo', '--demo-browser', '--demo-failure-rate', '0', '--demo-reply-rate', '0']);
    const app = web;
    const api = apiOf(() => app);
    const [demo] = await until(() => api<NumberView[]>('numbers.list'), (list) => list.length === 1 && list[0]!.state === 'qr', 60_000);
    // Chromium runs under the app, on the number's own profile.
    expect(processesMentioning(path.join(dataDir, 'sessions')).some((line) => /chrom/i.test(line))).toBe(true);
    await api('numbers.simulateScan', { id: demo!.id });
    const [linked] = await until(() => api<NumberView[]>('numbers.list'), (list) => list[0]!.state === 'connected', 60_000);
    expect(linked!.phone).toMatch(/^\+5255\d{8}$/);

    const live = events(app);
    const token = new URL(app.url).searchParams.get('token') ?? '';
    const upload = await request(app.port, { method: 'POST', path: '/api/upload?name=promo.jpg', headers: { Authorization: `Bearer ${token}` }, body: fs.readFileSync(path.join(TESTDATA, 'media', 'promo.jpg')) });
    const media = await api<MediaView>('media.add', { uploadId: (upload.json() as { value: { uploadId: string } }).value.uploadId });
    const sent = await api<TestSend>('messages.testSend', { numberId: demo!.id, to: '55 9876 5432', body: 'Hola, esta es una prueba con imagen', mediaId: media.id });
    await until(
      async () => live.seen,
      (seen) => seen.some((e) => e.event === 'messages.testStatus' && (e.payload as TestSend).id === sent.id && ['delivered', 'read'].includes((e.payload as TestSend).status)),
      60_000,
    );
    live.close();
    // What the contact's phone received, from the double's world: the image with its text, once.
    const record = SimWorld.readRecord(path.join(dataDir, 'simulator', 'deliveries.jsonl'));
    expect(record).toEqual([expect.objectContaining({ chatId: '5215598765432@c.us', text: 'Hola, esta es una prueba con imagen', media: expect.objectContaining({ kind: 'image' }) })]);

    // "WhatsApp Web cambia": the page reloads into a build the shim does not know; Reintentar is the update arriving.
    await api('numbers.simulateFault', { id: demo!.id, fault: 'whatsapp_changed' });
    await until(() => api<NumberView[]>('numbers.list'), (list) => list[0]!.state === 'wa_changed', 60_000);
    await api('numbers.reconnect', { id: demo!.id });
    await until(() => api<NumberView[]>('numbers.list'), (list) => list[0]!.state === 'connected', 60_000);
    // "En duda": the next test send is taken by WhatsApp and its answer lost (played in the page: wweb-double-scenarios).
    const doubt = await request(app.port, { method: 'POST', path: '/api/numbers.simulateFault', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ id: demo!.id, fault: 'in_doubt_next' }) });
    expect(doubt.json()).toMatchObject({ ok: true });

    await app.stop();
    web = undefined;
    await until(async () => processesMentioning(dataDir), (lines) => lines.length === 0, 15_000);
  }, 180_000);

  it('plays a reply, a CANCELAR from a LID chat, a phone offline whose replies arrive when back, another computer, and a logout from the phone', async () => {
    const dataDir = tempDir();
    web = await startWebApp(dataDir, ['--demo', '--demo-browser', '--demo-failure-rate', '0', '--demo-reply-rate', '0']);
    const app = web;
    const api = apiOf(() => app);
    const state = (s: string) => until(() => api<NumberView[]>('numbers.list'), (list) => list[0]!.state === s, 60_000).catch((e) => {
      console.log('the app log, last lines:\n' + fs.readFileSync(path.join(dataDir, 'logs', 'whatzme.log'), 'utf8').split('\n').slice(-60).map((l) => l.slice(0, 400)).join('\n'));
      throw e;
    });
    const [demo] = await until(() => api<NumberView[]>('numbers.list'), (list) => list.length === 1 && list[0]!.state === 'qr', 60_000);
    await api('numbers.simulateScan', { id: demo!.id });
    await state('connected');
    const replies = () => api<{ rows: { body: string; phone: string | null; optOut: boolean }[] }>('inbox.list', { offset: 0, limit: 50 });

    // A contact writes; then the last one written to answers CANCELAR from the LID chat WhatsApp moved them to.
    await api('messages.testSend', { numberId: demo!.id, to: '55 9876 5432', body: 'Hola, ¿cómo estás?', mediaId: null });
    await until(async () => SimWorld.readRecord(path.join(dataDir, 'simulator', 'deliveries.jsonl')), (r) => r.length === 1, 30_000);
    await api('numbers.simulateReply', { id: demo!.id, phone: '55 1111 2222', body: '¿Tienen envío a domicilio?' });
    await api('numbers.simulateFault', { id: demo!.id, fault: 'lid_opt_out' });
    const seen = await until(replies, ({ rows }) => rows.length === 2, 30_000);
    expect(seen.rows.map((r) => ({ body: r.body, phone: r.phone, optOut: r.optOut }))).toEqual([
      { body: 'CANCELAR', phone: '+525598765432', optOut: true },
      { body: '¿Tienen envío a domicilio?', phone: '+525511112222', optOut: false },
    ]);

    // The phone goes offline a minute: the number says so, and what was written meanwhile arrives when it is back.
    await api('numbers.simulateFault', { id: demo!.id, fault: 'offline_replies' });
    await state('phone_offline');
    await state('connected');
    await until(replies, ({ rows }) => rows.length === 4, 90_000);

    await api('numbers.simulateFault', { id: demo!.id, fault: 'opened_elsewhere' });
    await state('conflict');
    await api('numbers.reconnect', { id: demo!.id });
    await state('connected');
    await api('numbers.simulateFault', { id: demo!.id, fault: 'unlinked' });
    await state('logged_out');
  }, 240_000);
});
