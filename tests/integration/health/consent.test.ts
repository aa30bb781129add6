import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignView, Estimate } from '../../../shared/campaigns';
import type { Contact } from '../../../shared/contacts';
import type { ReportRow } from '../../../shared/reports';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const phoneOf = (i: number) => `+5255${String(20000000 + i * 37)}`; // as contactsCsvIn writes contact i

describe('consent: asked at import, kept per contact, confirmed before a campaign, shown in the report and the export', () => {
  it('records each contact\'s consent with its source, date and import; a later "no" never undoes an earlier "yes"', async () => {
    // The fixture's 6 customers agreed (source "customers").
    const f = await campaignFixture({ contacts: 6, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const file = path.join(tempDir(), 'feria.csv');
    // Two of the customers again, and two new people from a fair who did not say they agreed.
    fs.writeFileSync(file, ['Nombre,Telefono', `Cliente 0,${phoneOf(0).slice(3)}`, `Cliente 1,${phoneOf(1).slice(3)}`, 'Feria Uno,5531110001', 'Feria Dos,5531110002'].join('\n'));
    const done = await f.t.importFile(file, { list: { name: 'Feria' }, consent: { source: 'event', agreed: false } });
    const fair = done.summary?.listId as number;
    const { rows } = await f.t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 20, listId: fair });
    const byPhone = new Map(rows.map((c) => [c.phone, c]));
    expect(byPhone.get(phoneOf(0))).toMatchObject({ consent: 'yes', consentSource: 'customers' });
    expect(byPhone.get('+525531110001')).toMatchObject({ consent: 'no', consentSource: 'event' });
    expect(byPhone.get('+525531110001')?.consentAt).toBeGreaterThan(0);
    // The import that said it: its run key names the import in the history.
    const importOf = f.t.app.db.prepare("SELECT i.file_name FROM contacts c JOIN imports i ON i.run_key = c.consent_import WHERE c.phone = '+525531110001'").pluck().get();
    expect(importOf).toBe('feria.csv');
    expect(f.t.app.db.prepare("SELECT consent_source, consent FROM imports WHERE file_name = 'feria.csv'").get()).toEqual({ consent_source: 'event', consent: 'no' });

    // A campaign to the fair's list: 2 without consent, counted by the estimate; launching needs the confirmation.
    const input = f.input({ name: 'Feria', includeListIds: [fair] });
    const estimate = await f.t.call<Estimate>('campaigns.estimate', input);
    expect(estimate.withoutConsent).toBe(2);
    const draft = await f.t.call<CampaignView>('campaigns.create', input);
    await expect(f.t.call('campaigns.launch', { id: draft.id })).rejects.toMatchObject({ code: 'needs_confirmation', field: 'confirmNoConsent' });
    // Refused before anything was written: still a draft, nothing queued.
    expect((await f.t.call<CampaignView>('campaigns.get', { id: draft.id })).state).toBe('draft');
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM sends WHERE campaign_id = ?').pluck().get(draft.id)).toBe(0);
    await settle(f.clock, f.t.call('campaigns.launch', { id: draft.id, confirmNoConsent: true }));
    for (let i = 0; i < 10; i++) await f.clock.advance(60_000);

    // The report says who had agreed; so does its export and the contacts' export.
    const report = await f.t.call<{ total: number; rows: ReportRow[] }>('reports.rows', { id: draft.id, state: null, offset: 0, limit: 50 });
    expect(Object.fromEntries(report.rows.map((r) => [r.phone, r.consent]))).toEqual({ [phoneOf(0)]: 'yes', [phoneOf(1)]: 'yes', '+525531110001': 'no', '+525531110002': 'no' });
    const exported = await f.t.call<{ url: string }>('contacts.export', { filter: { listId: fair }, format: 'xlsx' });
    const reply = await fetch(`http://127.0.0.1:${f.t.server.port}${exported.url}`, { headers: { Authorization: `Bearer ${f.t.server.token}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await reply.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['Aceptó mensajes', 'Origen', 'Fecha del permiso']));
    const column = header.indexOf('Aceptó mensajes') + 1;
    const values = [2, 3, 4, 5].map((r) => String(sheet.getRow(r).getCell(column).value));
    expect(values.sort()).toEqual(['No, o no se sabe', 'No, o no se sabe', 'Sí', 'Sí']);
  });
});
