import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignView } from '../../shared/campaigns';
import type { Contact, ContactList } from '../../shared/contacts';
import type { ReportRow } from '../../shared/reports';
import type { Tag } from '../../shared/segments';
import { request } from '../helpers/http';
import { suiteTempDir } from '../helpers/temp-dir';
import { screenshot } from './support/browser';
import { apiOf, linkedDemoNumber, until } from './support/api';
import { webAppSuite } from './support/suite';
import { CampaignPages } from './pages/campaign-pages';

/**
 * Tags and segments (#35) as a user meets them, in Chromium on the demo number: tag customers from the contacts
 * table, make a segment of "Monterrey and VIP" with its live count and who is in it, see them in Contactos, start a
 * campaign to the segment from there, and find in its report the rules it was sent with; then tag those who
 * received it from the report.
 */
const suite = webAppSuite(['--demo-reply-rate', '0']);
const api = apiOf(() => suite.web);
const BODY = 'Hola {{nombre}}, abrimos sucursal en tu ciudad. Si no deseas recibir más mensajes, responde CANCELAR';
const PEOPLE: [string, string][] = [
  ['Ana López', 'Monterrey'],
  ['Beto Ruiz', ' monterrey'],
  ['Carla Díaz', 'Monterrey'],
  ['Dante Gil', 'CDMX'],
  ['Elena Mora', 'Guadalajara'],
];

/** A CSV with a Ciudad column imported into a list through the API, the city kept as a field. */
async function citiesList(): Promise<ContactList> {
  const csv = path.join(suiteTempDir(), 'clientes-ciudades.csv');
  fs.writeFileSync(csv, `Nombre,Teléfono,Ciudad\n${PEOPLE.map(([n, c], i) => `${n},55${String(41_000_000 + i * 7919)},${c}`).join('\n')}\n`);
  const token = new URL(suite.web.url).searchParams.get('token') ?? '';
  const upload = await request(suite.web.port, { method: 'POST', path: '/api/upload?name=clientes-ciudades.csv', headers: { Authorization: `Bearer ${token}` }, body: fs.readFileSync(csv) });
  const { uploadId } = (upload.json() as { value: { uploadId: string } }).value;
  await api('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [2], defaultCountry: 'MX', list: { name: 'Ciudades' }, consent: { source: 'customers', agreed: true } });
  const lists = await until(() => api<ContactList[]>('lists.list'), (all) => all.some((l) => l.name === 'Ciudades' && l.count === PEOPLE.length));
  return lists.find((l) => l.name === 'Ciudades') as ContactList;
}

describe('tags and segments in Chromium', () => {
  it('tags from the table, counts a segment live, sends a campaign to it, and the report says its rules', async () => {
    const page = suite.browser.page;
    await page.setViewportSize({ width: 1280, height: 720 });
    await linkedDemoNumber(api, 'Tienda Centro');
    const list = await citiesList();
    const contacts = (await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10, listId: list.id })).rows;
    const phoneOf = (name: string) => contacts.find((c) => c.name === name)!.phone;

    // Contactos: a tag made in the panel, put on Ana, Beto and Dante from the table's selection.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('new-tag-name').fill('VIP');
    await page.getByTestId('create-tag').click();
    const vip = page.locator('[data-tag-name="VIP"]');
    await vip.waitFor();
    for (const name of ['Ana López', 'Beto Ruiz', 'Dante Gil']) await page.getByRole('checkbox', { name: new RegExp(name) }).check();
    await page.getByTestId('bulk-tag').selectOption({ label: 'VIP' });
    await expect.poll(() => vip.locator('.count').innerText()).toBe('3');
    await vip.click();
    await expect.poll(() => page.getByTestId('contacts-count').innerText()).toBe('3 contactos');
    // The contact shows it, and takes it off there.
    await page.getByTestId('contact-row').filter({ hasText: 'Dante Gil' }).getByTestId('edit-contact').click();
    const editor = page.getByTestId('contact-editor');
    await editor.locator('[data-tag-name="VIP"]').waitFor();
    await screenshot(page, 'segments-contacts-tags');
    await editor.getByRole('button', { name: 'Quitar la etiqueta VIP' }).click();
    await expect.poll(() => editor.getByTestId('contact-tag').count()).toBe(0);
    await editor.getByTestId('editor-close').click();
    await expect.poll(() => vip.locator('.count').innerText()).toBe('2');

    // Segmentos: "Monterrey and VIP", counted as the rules are written.
    await page.getByTestId('nav-segments').click();
    await page.getByTestId('page-segments').waitFor();
    await page.getByTestId('segments-empty').waitFor();
    const editorCard = page.getByTestId('segment-editor');
    await editorCard.getByTestId('segment-name').fill('Regios VIP');
    const first = editorCard.getByTestId('rule-0');
    await first.getByTestId('rule-field').fill('Ciudad');
    await first.getByTestId('rule-value').fill('MONTERREY');
    await expect.poll(() => editorCard.getByTestId('segment-total').getAttribute('data-total')).toBe('3');
    await editorCard.getByTestId('rule-add').click();
    const second = editorCard.getByTestId('rule-1');
    await second.getByTestId('rule-kind').selectOption('tag');
    await second.getByTestId('rule-tag').selectOption({ label: 'VIP' });
    await expect.poll(() => editorCard.getByTestId('segment-total').getAttribute('data-total')).toBe('2');
    expect(await editorCard.getByTestId('segment-sample').innerText()).toMatch(/Ana López[\s\S]*Beto Ruiz|Beto Ruiz[\s\S]*Ana López/);
    expect(await editorCard.getByTestId('segment-count').innerText()).toContain('2 contactos en este segmento');
    await editorCard.getByTestId('segment-save').click();
    await page.locator('[data-segment-name="Regios VIP"]').waitFor();
    await screenshot(page, 'segments-editor');

    // Its people in Contactos, by its rules now.
    await editorCard.getByTestId('segment-see-all').click();
    await expect.poll(() => page.getByTestId('contacts-count').innerText()).toBe('2 contactos');
    expect(await page.getByTestId('segment-filter').innerText()).toContain('Regios VIP');

    // A campaign to the segment, started from it: the wizard has it ticked.
    await page.getByTestId('nav-segments').click();
    await page.locator('[data-segment-name="Regios VIP"]').click();
    await editorCard.getByTestId('segment-campaign').click();
    const wizard = new CampaignPages(page);
    await page.getByTestId('campaign-name').fill('Sucursal Monterrey');
    await wizard.next();
    await page.getByTestId('campaign-body').fill(BODY);
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await wizard.next();
    const segmentId = (await api<{ id: number; name: string }[]>('segments.list')).find((x) => x.name === 'Regios VIP')?.id as number;
    expect(await page.getByTestId('wizard-segments').getByTestId(`segment-include-${segmentId}`).isChecked()).toBe(true);
    await screenshot(page, 'segments-wizard');
    await wizard.next();
    await page.getByTestId('campaign-number').first().check();
    await wizard.next(); // pace
    await wizard.next(); // when
    await wizard.next(); // summary
    expect(await page.getByTestId('review-segments').innerText()).toBe('Regios VIP');
    // Who joins the segment once it is launched does not get it: the rules are taken at launch.
    await wizard.launch();
    await wizard.waitForState('completed');
    // The campaign's page says whom it took, by the segment's rules.
    expect(await page.getByTestId('campaign-segments').innerText()).toContain('Regios VIP');
    const campaigns = await api<CampaignView[]>('campaigns.list');
    const sent = campaigns.find((c) => c.name === 'Sucursal Monterrey') as CampaignView;
    const rows = await api<{ rows: ReportRow[] }>('reports.rows', { id: sent.id, state: null, offset: 0, limit: 50 });
    expect(rows.rows.map((r) => r.phone).sort()).toEqual([phoneOf('Ana López'), phoneOf('Beto Ruiz')].sort());

    // The report: the rules it was sent with, and a tag for those who received it.
    await page.goto(`${suite.web.origin}/#/campanas/${sent.id}/reporte`);
    const rules = page.getByTestId('campaign-segment-rule');
    await expect.poll(() => rules.allInnerTexts()).toEqual(['Ciudad es «MONTERREY»', 'Tiene la etiqueta «VIP»']);
    const fromReport = page.getByTestId('tag-from-report');
    await fromReport.getByTestId('tag-from-report-who').selectOption('all');
    await fromReport.getByTestId('tag-from-report-tag').selectOption({ label: 'VIP' });
    await fromReport.getByTestId('tag-from-report-apply').click();
    // Both had the tag already: said so, not "0 tagged".
    await page.getByText('2 contactos tienen la etiqueta «VIP» (0 nuevos)').waitFor();
    await screenshot(page, 'segments-report');
    await page.setViewportSize({ width: 1366, height: 800 });
    await screenshot(page, 'segments-report-1366');
    await page.getByTestId('nav-segments').click();
    await screenshot(page, 'segments-editor-1366');
    await page.setViewportSize({ width: 1280, height: 720 });
    const tags = await api<Tag[]>('tags.list');
    expect(tags.find((x) => x.name === 'VIP')?.count).toBe(2);
  });

  it('edits every kind of rule with its live count, says who opted out, deletes a segment and a tag, and untags from the table', async () => {
    const page = suite.browser.page;
    const segmentsBefore = await api<{ id: number; name: string }[]>('segments.list');
    const regios = segmentsBefore.find((x) => x.name === 'Regios VIP') as { id: number };
    const total = () => page.getByTestId('segment-editor').getByTestId('segment-total').getAttribute('data-total');
    await page.getByTestId('nav-segments').click();
    await page.getByTestId('segment-new').click();
    const editor = page.getByTestId('segment-editor');
    await editor.getByTestId('segment-name').fill('Prueba de reglas');
    const first = editor.getByTestId('rule-0');
    await first.getByTestId('rule-kind').selectOption('list');
    await first.getByTestId('rule-member').selectOption('yes');
    await first.getByTestId('rule-list').selectOption({ label: 'Ciudades' });
    await expect.poll(total).toBe('5');
    await editor.getByTestId('rule-add').click();
    const second = editor.getByTestId('rule-1');
    await second.getByTestId('rule-kind').selectOption('consent');
    await second.getByTestId('rule-consent').selectOption('unknown');
    await expect.poll(total).toBe('0');
    await editor.getByTestId('segment-match').selectOption('any');
    await expect.poll(total).toBe('5');
    await editor.getByTestId('segment-match').selectOption('all');
    // Engagement: nobody replied to the campaign (the demo's contacts stay quiet here), in the last 7 days or ever.
    await second.getByTestId('rule-kind').selectOption('replied');
    await second.getByTestId('rule-campaign').selectOption({ label: 'Sucursal Monterrey' });
    await second.getByTestId('rule-when').selectOption('within');
    await second.getByTestId('rule-days').fill('7');
    await expect.poll(total).toBe('0');
    await second.getByTestId('rule-kind').selectOption('read_no_reply');
    await second.getByTestId('rule-days').fill('7');
    await expect.poll(total).toBe('0');
    await second.getByTestId('rule-kind').selectOption('never_wrote');
    await expect.poll(total).toBe('5');
    // Ana and Beto got the campaign today: three have had no message from me in 30 days.
    await second.getByTestId('rule-kind').selectOption('not_messaged');
    await second.getByTestId('rule-days').fill('30');
    await expect.poll(total).toBe('3');
    await second.getByTestId('rule-kind').selectOption('added');
    await second.getByTestId('rule-days').fill('1');
    await expect.poll(total).toBe('5');
    await second.getByTestId('rule-kind').selectOption('tag');
    await second.getByTestId('rule-has').selectOption('no');
    await expect.poll(total).toBe('3');
    await second.getByTestId('rule-kind').selectOption('field');
    await second.getByTestId('rule-field').fill('Ciudad');
    await second.getByTestId('rule-op').selectOption('empty');
    await expect.poll(total).toBe('0');
    // An opt-out stays in the segment, said apart: a campaign never writes to them.
    await second.getByTestId('rule-remove').click();
    await expect.poll(() => editor.locator('[data-testid^="rule-"][data-kind]').count()).toBe(1);
    const carla = (await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10, search: 'Carla' })).rows[0] as Contact;
    await api('contacts.optOut', { id: carla.id });
    await editor.getByTestId('segment-name').fill('Prueba de reglas ');
    await expect.poll(() => editor.getByTestId('segment-opted-out').innerText()).toContain('1 de ellos se dio de baja');
    expect(await editor.getByTestId('segment-unsaved').isVisible()).toBe(true);
    await editor.getByTestId('segment-save').click();
    await page.locator('[data-segment-name="Prueba de reglas"]').waitFor();
    await editor.getByTestId('segment-delete').click();
    await editor.getByTestId('segment-delete-confirm').click();
    await expect.poll(() => page.locator('[data-segment-name="Prueba de reglas"]').count()).toBe(0);

    // Contactos: a segment's filter is cleared in one click; a tag taken off from the table, put on in the editor, deleted.
    await page.goto(`${suite.web.origin}/#/contactos?segmento=${regios.id}`);
    await expect.poll(() => page.getByTestId('contacts-count').innerText()).toBe('2 contactos');
    await page.getByTestId('segment-filter-clear').click();
    await expect.poll(() => page.getByTestId('contacts-count').innerText()).toBe('5 contactos');
    const panel = page.getByTestId('tags-panel');
    await panel.locator('[data-tag-name="VIP"]').click();
    await page.getByRole('checkbox', { name: /Ana López/ }).check();
    await page.getByTestId('bulk-untag').click();
    await expect.poll(() => page.getByTestId('contacts-count').innerText()).toBe('1 contacto');
    await page.getByTestId('list-all').click();
    await page.getByTestId('contact-row').filter({ hasText: 'Elena Mora' }).getByTestId('edit-contact').click();
    const contact = page.getByTestId('contact-editor');
    await contact.getByTestId('contact-tags').getByTestId('contact-tag-add').selectOption({ label: 'VIP' });
    await contact.locator('[data-tag-name="VIP"]').waitFor();
    await contact.getByTestId('editor-close').click();
    await expect.poll(() => panel.locator('[data-tag-name="VIP"] .count').innerText()).toBe('2');
    await panel.locator('[data-tag-name="VIP"]').click();
    await panel.getByRole('button', { name: 'Eliminar' }).click();
    await panel.getByTestId('tag-delete-confirm').click();
    await expect.poll(() => panel.locator('[data-tag-name="VIP"]').count()).toBe(0);
    // The segment that used it says so in its rule, and counts no one until another is picked or the rule goes.
    await page.getByTestId('nav-segments').click();
    await page.locator('[data-segment-name="Regios VIP"]').click();
    expect(await page.getByTestId('rule-gone').innerText()).toContain('La etiqueta de esta regla se eliminó');
    expect(await page.getByTestId('segment-count').innerText()).toContain('Completa las reglas');
    // A campaign to it is refused rather than sent by a rule that no longer means anything.
    const number = (await api<{ id: string }[]>('numbers.list'))[0] as { id: string };
    const refused = api('campaigns.create', { name: 'Sin etiqueta', templateId: null, body: BODY, mediaId: null, includeListIds: [], excludeListIds: [], segmentIds: [regios.id], numberIds: [number.id], settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null } });
    await expect(refused).rejects.toThrow(/not_found/);
    await page.getByTestId('segment-editor').getByTestId('rule-1').getByTestId('rule-remove').click();
    await expect.poll(total).toBe('3');
  });
});
