import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { Report } from '../../../shared/reports';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('campaign report', () => {
  it('matches what the simulator did, and the exports read back the same', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 2, config: { simBehaviour: { replyRate: 0, readRate: 0.5 } } });
    t = f.t;
    const delivered = new Set<string>();
    const read = new Set<string>();
    f.t.app.sessions.onDriverEvent((_n, event, payload) => {
      if (event !== 'ack') return;
      const ack = payload as { messageId: string; ack: string };
      if (ack.ack === 'delivered') delivered.add(ack.messageId);
      if (ack.ack === 'read') read.add(ack.messageId);
    });
    const campaign = await f.launch();
    await f.clock.advance(10 * 60_000);
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone: '+525520000000', body: 'Gracias, me interesa' }));
    await settle(f.clock, f.t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone: '+525520000037', body: 'baja' }));
    await f.clock.advance(1000);

    const record = SimWorld.readRecord(path.join(f.t.dataDir, 'simulator', 'deliveries.jsonl')).filter((r) => !r.text.startsWith('Listo'));
    const report = await f.t.call<Report>('reports.get', { id: campaign.id });
    expect(report).toMatchObject({ targeted: 40, sent: record.length, failed: 0, skipped: 0, replied: 1, optedOut: 1, queued: 0 });
    expect(report.delivered).toBe(new Set([...delivered, ...read]).size);
    expect(report.read).toBe(read.size);
    expect(report.perNumber.reduce((n, p) => n + p.sent, 0)).toBe(record.length);
    for (const p of report.perNumber) expect(p.sent).toBe(record.filter((r) => r.numberId === p.numberId).length);
    expect(report.timeline.sent.reduce((a, b) => a + b, 0)).toBe(record.length);
    expect(report.timeline.read.reduce((a, b) => a + b, 0)).toBe(read.size);

    const headers = { Authorization: `Bearer ${f.t.server.token}` };
    const csv = await f.t.call<{ url: string; fileName: string }>('reports.export', { id: campaign.id, format: 'csv' });
    expect(csv.fileName).toBe('Promo - reporte.csv');
    const text = (await (await fetch(`http://127.0.0.1:${f.t.server.port}${csv.url}`, { headers })).text()).replace(/^\ufeff/, '');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('Nombre,Teléfono,Estado,Motivo,Número,Enviado,Entregado,Leído,Respondió,Pidió la baja,Aceptó mensajes');
    expect(lines).toHaveLength(41);
    // The one who wrote "baja" replied and opted out; the one who wrote back only replied.
    // (The fixture's customers agreed to get messages: the last column.)
    const rowOf = (phone: string) => lines.find((l) => l.includes(phone.slice(1)))?.split(',').slice(-3);
    expect(rowOf('+525520000037')).toEqual(['Sí', 'Sí', 'Sí']);
    expect(rowOf('+525520000000')).toEqual(['Sí', 'No', 'Sí']);
    expect(lines.slice(1).filter((l) => l.split(',')[2] === 'Leído').length).toBe(report.read);

    const xlsx = await f.t.call<{ url: string }>('reports.export', { id: campaign.id, format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await fetch(`http://127.0.0.1:${f.t.server.port}${xlsx.url}`, { headers })).arrayBuffer());
    const summary = wb.getWorksheet('Resumen');
    const figure = (label: string) => summary?.getRows(1, 20)?.find((r) => r.getCell(1).value === label)?.getCell(2).value;
    expect(figure('Enviados')).toBe(report.sent);
    expect(figure('Leídos')).toBe(report.read);
    expect(figure('Se dieron de baja')).toBe(1);
    expect(wb.getWorksheet('Contactos')?.rowCount).toBe(41);
  });
});
