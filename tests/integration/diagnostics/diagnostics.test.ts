import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterEach, describe, expect, it } from 'vitest';
import { maskDigits, maskLog } from '../../../electron/diagnostics/mask';
import { campaignFixture } from '../../helpers/campaign-fixture';
import type { TestApp } from '../../helpers/contacts-app';
import { TESTDATA } from '../../helpers/paths';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Every entry of a zip as text, read with a real unzipper. */
function unzip(file: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, string>();
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

/** Each phone in the shapes it can take in logs and state: E.164, without the +, national, WhatsApp's id with the 1. */
function shapes(e164: string): string[] {
  const digits = e164.slice(1);
  const out = [e164, digits];
  if (digits.startsWith('52')) out.push(digits.slice(2), `521${digits.slice(2)}`, `${digits.slice(2, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}`);
  return out;
}

describe('the diagnostics zip for support', () => {
  it('opens, holds versions, numbers, counters and logs, and no phone or message text of the data set', async () => {
    const f = await campaignFixture({ contacts: 25, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    // The real exports of the data set as well.
    await f.t.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'), { list: { name: 'Exportados' }, consent: { source: 'customers', agreed: true } });
    const body = 'Hola {{nombre}}, te saluda Luis de La Espiga: pan de muerto recién hecho. Si no deseas recibir más mensajes, responde CANCELAR';
    await f.launch({ body });
    for (let i = 0; i < 60; i++) await f.clock.advance(1000);
    const phones = f.t.app.db.prepare('SELECT phone FROM contacts').pluck().all() as string[];
    expect(phones.length).toBeGreaterThan(25);
    const texts = f.t.app.db.prepare("SELECT DISTINCT text FROM sends WHERE state != 'queued'").pluck().all() as string[];
    expect(texts.length).toBeGreaterThan(0);
    // Lines as the app's modules write them when something goes wrong: phones, chat ids and texts in them.
    for (const phone of phones.slice(0, 10)) {
      f.t.app.logger.warn({ phone, chatId: `521${phone.slice(3)}@c.us`, text: texts[0] }, 'send failed');
      f.t.app.logger.error({ err: new Error(`Evaluation failed: no chat ${phone.slice(1)}@c.us`) }, 'page call failed');
    }
    f.t.app.logger.info({ body: 'CANCELAR por favor', name: 'María Pérez' }, 'reply recorded');

    const download = await f.t.call<{ url: string; fileName: string }>('app.diagnostics');
    expect(download.fileName).toMatch(/^whatzme-diagnostico-\d{4}-\d{2}-\d{2}\.zip$/);
    const reply = await fetch(`http://127.0.0.1:${f.t.server.port}${download.url}`, { headers: { Authorization: `Bearer ${f.t.server.token}` } });
    const file = path.join(tempDir(), download.fileName);
    fs.writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
    const entries = await unzip(file);
    expect([...entries.keys()].sort()).toEqual(['LEEME.txt', 'info.json', 'logs/whatzme.log']);

    const info = JSON.parse(entries.get('info.json')!) as { app: { version: string }; system: { platform: string }; numbers: { state: string; whatsAppWeb: string | null; phone: string | null }[]; counters: { sendsByState: unknown[] } };
    expect(info.app.version).toBe('0.0.0');
    expect(info.system.platform).toBe(process.platform);
    expect(info.numbers).toEqual([expect.objectContaining({ state: 'connected', whatsAppWeb: 'simulator' })]);
    expect(info.counters.sendsByState.length).toBeGreaterThan(0);
    const log = entries.get('logs/whatzme.log')!;
    expect(log).toContain('send failed');
    expect(log).toContain('[oculto:');

    // Grep every entry for every phone of the data set, in every shape, and for every text that was sent.
    const all = [...entries.values()].join('\n');
    for (const phone of phones) for (const shape of shapes(phone)) expect(all.includes(shape), `${shape} is in the zip`).toBe(false);
    for (const text of [...texts, 'CANCELAR por favor', 'María Pérez', 'pan de muerto']) expect(all.includes(text), `"${text.slice(0, 30)}…" is in the zip`).toBe(false);
  }, 60_000);

  it('masks phones in any shape, keeps only their last two digits, and leaves other numbers of a log line alone', () => {
    expect(maskDigits('+52 1 55 1234 5678 y 5215512345678@c.us y (55) 1234-5678')).toBe('•••78 y •••78@c.us y •••78');
    expect(maskDigits('port 47800, 3 retries, 120 ms')).toBe('port 47800, 3 retries, 120 ms');
    const masked = maskLog('{"level":40,"time":1764601234000,"phone":"+525512345678","text":"Hola María","msg":"x"}\nplain 5512345678');
    expect(masked).toBe('{"level":40,"time":1764601234000,"phone":"•••78","text":"[oculto: 10 caracteres]","msg":"x"}\nplain •••78');
  });
});
