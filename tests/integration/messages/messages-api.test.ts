import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/core/clock';
import type { EventPayload } from '../../../shared/contract';
import type { MediaView, Template, TestSend } from '../../../shared/messages';
import type { NumberView } from '../../../shared/numbers';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { request } from '../../helpers/http';
import { TESTDATA } from '../../helpers/paths';
import { tempDir } from '../../helpers/temp-dir';
import { settle } from '../../helpers/clock';

let t: TestApp;
afterEach(async () => t.close());
const media = (name: string) => path.join(TESTDATA, 'media', name);

describe('attachments', () => {
  it.each([
    ['promo.jpg', 'image', 'image/jpeg'],
    ['logo.png', 'image', 'image/png'],
    ['sticker.webp', 'image', 'image/webp'],
    ['aviso.mp3', 'audio', 'audio/mpeg'],
    ['nota_de_voz.ogg', 'voice', 'audio/ogg; codecs=opus'],
    ['video.mp4', 'video', 'video/mp4'],
    ['catalogo.pdf', 'document', 'application/pdf'],
    ['precios.txt', 'document', 'text/plain'],
  ])('%s is a %s (%s), judged by its bytes', async (name, kind, mime) => {
    t = await startTestApp();
    const view = await t.call<MediaView>('media.add', { uploadId: await t.upload(media(name)) });
    expect(view).toMatchObject({ kind, mime, fileName: name, slow: false });
    const stored = path.join(t.dataDir, 'media', fs.readdirSync(path.join(t.dataDir, 'media'))[0] ?? '');
    expect(fs.readFileSync(stored)).toEqual(fs.readFileSync(media(name)));
    expect(path.basename(stored).startsWith(view.id)).toBe(true);
  });

  it('refuses a program with an image name, whatever its extension says', async () => {
    t = await startTestApp();
    await expect(t.call('media.add', { uploadId: await t.upload(media('no_es_imagen.jpg')) })).rejects.toMatchObject({ code: 'media_unsupported' });
    expect(fs.existsSync(path.join(t.dataDir, 'media'))).toBe(false);
  });

  it('stores one copy per content, warns above 1 MB, refuses above WhatsApp limits naming the limit', async () => {
    t = await startTestApp();
    const a = await t.call<MediaView>('media.add', { uploadId: await t.upload(media('promo.jpg')) });
    const b = await t.call<MediaView>('media.add', { uploadId: await t.upload(media('promo.jpg'), 'otra.jpg') });
    expect(b.id).toBe(a.id);
    expect(fs.readdirSync(path.join(t.dataDir, 'media'))).toHaveLength(1);
    expect((await t.call<MediaView>('media.add', { uploadId: await t.upload(media('foto_pesada.jpg')) })).slow).toBe(true);

    const big = path.join(tempDir(), 'grande.mp4');
    const head = fs.readFileSync(media('video.mp4')).subarray(0, 4096);
    fs.writeFileSync(big, head);
    fs.truncateSync(big, 17 * 1024 * 1024);
    await expect(t.call('media.add', { uploadId: await t.upload(big) })).rejects.toMatchObject({ code: 'media_too_large', field: '16' });
  });

  it('serves an attachment for the preview, with the token', async () => {
    t = await startTestApp();
    const view = await t.call<MediaView>('media.add', { uploadId: await t.upload(media('logo.png')) });
    const reply = await request(t.server.port, { path: view.url, headers: { Authorization: `Bearer ${t.server.token}` } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/png');
    expect((await request(t.server.port, { path: view.url })).status).toBe(401);
  });
});

describe('saved messages', () => {
  it('creates, edits, duplicates and deletes', async () => {
    t = await startTestApp();
    const logo = await t.call<MediaView>('media.add', { uploadId: await t.upload(media('logo.png')) });
    const saved = await t.call<Template>('templates.save', { name: 'Promo', body: 'Hola {{nombre}}', mediaId: logo.id });
    expect(saved).toMatchObject({ name: 'Promo', media: { id: logo.id, kind: 'image' } });
    const edited = await t.call<Template>('templates.save', { id: saved.id, name: 'Promo', body: 'Hola {{nombre}}!', mediaId: null });
    expect(edited).toMatchObject({ body: 'Hola {{nombre}}!', media: null });
    const copy = await t.call<Template>('templates.duplicate', { id: saved.id });
    expect(copy).toMatchObject({ name: 'Promo (copia)', body: 'Hola {{nombre}}!' });
    await t.call('templates.delete', { id: saved.id });
    expect((await t.call<Template[]>('templates.list')).map((x) => x.id)).toEqual([copy.id]);
    await expect(t.call('templates.save', { id: 999, name: 'x', body: 'y', mediaId: null })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('analysis and preview', () => {
  it('finds errors with positions against the imported fields, and grades the message', async () => {
    t = await startTestApp();
    await t.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    const analysis = await t.call<{ errors: unknown[]; checks: { id: string }[]; score: number; fields: string[] }>('messages.analyze', {
      body: 'Hola {{nombre}} de {{ciudad}} y {{Colonia}}',
    });
    expect(analysis.fields).toEqual(['nombre', 'primer_nombre', 'telefono', 'Ciudad', 'Saldo']);
    expect(analysis.errors).toEqual([{ code: 'unknown_field', at: 32, line: 1, column: 33, detail: 'Colonia' }]);
    expect(analysis.checks.map((c) => c.id)).toContain('no_opt_out');
    expect(analysis.score).toBeLessThan(100);
  });

  it('previews for chosen contacts, for random ones of a list, or for sample data', async () => {
    t = await startTestApp();
    const done = await t.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    const body = '{Hola|Buen día} {{nombre}}, saldo {{Saldo|0}}';
    const { rows } = await t.call<{ rows: { id: number; name: string }[] }>('contacts.query', { offset: 0, limit: 2 });
    const chosen = await t.call<{ items: { contact: { id: number }; text: string }[] }>('messages.preview', { body, contactIds: rows.map((r) => r.id) });
    expect(chosen.items.map((i) => i.text.replace(/^(Hola|Buen día) /, ''))).toEqual(['José Pérez, saldo 1,250.00', 'María Ñúñez, saldo 300']);
    const again = await t.call<{ items: { text: string }[] }>('messages.preview', { body, contactIds: rows.map((r) => r.id) });
    expect(again.items.map((i) => i.text)).toEqual(chosen.items.map((i) => i.text));

    const random = await t.call<{ items: { contact: { id: number } }[] }>('messages.preview', { body, listId: done.summary?.listId, sample: 3 });
    expect(random.items).toHaveLength(3);
    // Never someone who opted out: with five of the six opted out, every draw is the sixth.
    const all = (await t.call<{ rows: { id: number }[] }>('contacts.query', { offset: 0, limit: 10 })).rows;
    for (const c of all.slice(1)) await t.call('contacts.optOut', { id: c.id });
    for (let seed = 1; seed <= 5; seed++) {
      const left = await t.call<{ items: { contact: { id: number } }[] }>('messages.preview', { body, listIds: [done.summary?.listId ?? 0], sample: 3, seed });
      expect(left.items.map((i) => i.contact.id)).toEqual([all[0]?.id]);
    }

    const fresh = await startTestApp();
    const sample = await fresh.call<{ items: { contact: { sample: boolean }; text: string }[] }>('messages.preview', { body: 'Hola {{nombre}}' });
    expect(sample.items).toEqual([expect.objectContaining({ contact: expect.objectContaining({ sample: true }), text: 'Hola Ana' })]);
    await fresh.close();
  });

  it('says how many contacts of a list lack a field the message needs, and samples only those who will get it (#30 item 2)', async () => {
    t = await startTestApp();
    const done = await t.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    const listId = done.summary?.listId ?? 0;
    const { rows } = await t.call<{ rows: { id: number; name: string }[] }>('contacts.query', { offset: 0, limit: 10 });
    expect(rows).toHaveLength(6);
    // Four of the six have no city; one of the four has no name either.
    for (const c of rows.slice(2)) await t.call('contacts.update', { id: c.id, fields: { Ciudad: '' } });
    await t.call('contacts.update', { id: rows[5]!.id, name: '' });
    type Preview = { items: { contact: { id: number }; text: string; missing: string[] }[]; coverage: { total: number; missing: { field: string; count: number }[] } | null };
    const preview = await t.call<Preview>('messages.preview', { body: 'Hola {{nombre}}, en {{ciudad}} te esperamos', listId, sample: 5 });
    // The field as written in the message ({{ciudad}}) is the contacts' «Ciudad», as the campaign reads it.
    expect(preview.coverage).toEqual({ total: 6, missing: [{ field: 'nombre', count: 1 }, { field: 'ciudad', count: 4 }] });
    expect(preview.items.map((i) => i.contact.id).sort()).toEqual(rows.slice(0, 2).map((r) => r.id).sort());
    expect(preview.items.every((i) => i.missing.length === 0)).toBe(true);
    // A fallback keeps them: nothing is missing, and anyone may be drawn.
    const kept = await t.call<Preview>('messages.preview', { body: 'Hola {{nombre|}}, en {{Ciudad|tu ciudad}} te esperamos', listIds: [listId], sample: 5 });
    expect(kept.coverage).toEqual({ total: 6, missing: [] });
    expect(kept.items).toHaveLength(5);
    // Opted-out contacts are not counted; with nobody left who has the field, the sample shows the hole.
    await t.call('contacts.optOut', { id: rows[0]!.id });
    await t.call('contacts.optOut', { id: rows[1]!.id });
    const none = await t.call<Preview>('messages.preview', { body: 'En {{Ciudad}}', listId, sample: 2 });
    expect(none.coverage).toEqual({ total: 4, missing: [{ field: 'Ciudad', count: 4 }] });
    expect(none.items.every((i) => i.missing.includes('Ciudad'))).toBe(true);
    // Without a list: every contact.
    expect((await t.call<Preview>('messages.preview', { body: 'En {{Ciudad}}', sample: 1 })).coverage).toEqual({ total: 4, missing: [{ field: 'Ciudad', count: 4 }] });
    // Chosen contacts: no coverage (the editor's "these contacts").
    expect((await t.call<Preview>('messages.preview', { body: 'En {{Ciudad}}', contactIds: [rows[2]!.id] })).coverage).toBeNull();
  });

});

describe('test send', () => {
  it('sends through a demo number and shows sent → delivered → read live', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    t = await startTestApp({ clock, simBehaviour: { notOnWhatsAppPercent: 0, transientFailureRate: 0 } });
    const number = await t.call<NumberView>('numbers.add', { kind: 'demo' });
    await clock.advance(1000);
    await t.call('numbers.simulateScan', { id: number.id });
    const logo = await t.call<MediaView>('media.add', { uploadId: await t.upload(media('logo.png')) });
    const updates: EventPayload<'messages.testStatus'>[] = [];
    t.app.bus.subscribe((e) => e.event === 'messages.testStatus' && updates.push(e.payload));

    const sent = await settle(clock, t.call<TestSend>('messages.testSend', { numberId: number.id, to: '55 9876 5432', body: 'Hola {{nombre}}', mediaId: logo.id }));
    expect(sent).toMatchObject({ phone: '+525598765432', text: 'Hola Ana', status: 'sent' });
    await clock.advance(10_000);
    expect(updates.map((u) => u.status)).toEqual(['sent', 'delivered', 'read']);
    const delivered = (await import('../../../electron/whatsapp')).SimWorld.readRecord(path.join(t.dataDir, 'simulator', 'deliveries.jsonl'));
    expect(delivered).toEqual([expect.objectContaining({ chatId: '5215598765432@c.us', text: 'Hola Ana' })]);
  });

  it('refuses a bad destination, a number that is not connected, and a broken template', async () => {
    t = await startTestApp();
    const number = await t.call<NumberView>('numbers.add', { kind: 'demo' });
    await expect(t.call('messages.testSend', { numberId: number.id, to: '123', body: 'Hola', mediaId: null })).rejects.toMatchObject({ code: 'invalid_input', field: 'to' });
    await expect(t.call('messages.testSend', { numberId: number.id, to: '5512345678', body: 'Hola', mediaId: null })).rejects.toMatchObject({ code: 'no_connected_number' });
    await expect(t.call('messages.testSend', { numberId: number.id, to: '5512345678', body: 'Hola {{nombre', mediaId: null })).rejects.toMatchObject({ code: 'template_invalid' });
  });
});
