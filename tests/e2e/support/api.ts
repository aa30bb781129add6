import fs from 'node:fs';
import path from 'node:path';
import type { ContactList } from '../../../shared/contacts';
import type { NumberView } from '../../../shared/numbers';
import { request } from '../../helpers/http';
import { until } from '../../helpers/until';
import type { WebApp } from './web-app';

/** Calls the running web app's contract directly (set-up and checks beside what the user does in the page). */
export function apiOf(web: () => WebApp) {
  return async function api<T>(name: string, input: unknown = {}): Promise<T> {
    const app = web();
    const token = new URL(app.url).searchParams.get('token') ?? '';
    const reply = await request(app.port, { method: 'POST', path: `/api/${name}`, headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
    const body = reply.json() as { ok: boolean; value: T };
    if (!body.ok) throw new Error(reply.body);
    return body.value;
  };
}

/** Asks again until `ok` holds (for state the app reaches by itself: a number connecting, an import). */
export { until };

type Api = ReturnType<typeof apiOf>;

/** A demo number added and "scanned" through the API (the Números page has its own tests). */
export async function linkedDemoNumber(api: Api, label: string): Promise<NumberView> {
  const number = await api<NumberView>('numbers.add', { kind: 'demo', label });
  await until(() => api<NumberView[]>('numbers.list'), (list) => list.some((n) => n.id === number.id && n.state === 'qr'));
  await api('numbers.simulateScan', { id: number.id });
  await until(() => api<NumberView[]>('numbers.list'), (list) => list.some((n) => n.id === number.id && n.state === 'connected'));
  return number;
}

/** A CSV uploaded and imported into a new list through the API (name in column 0, phone in column 1). */
export async function importedList(web: WebApp, api: Api, file: string, name: string, expected: number): Promise<ContactList> {
  const token = new URL(web.url).searchParams.get('token') ?? '';
  const upload = await request(web.port, { method: 'POST', path: `/api/upload?name=${encodeURIComponent(path.basename(file))}`, headers: { Authorization: `Bearer ${token}` }, body: fs.readFileSync(file) });
  const { uploadId } = (upload.json() as { value: { uploadId: string } }).value;
  await api('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX', list: { name }, consent: { source: 'customers', agreed: true } });
  const lists = await until(() => api<ContactList[]>('lists.list'), (all) => all.some((l) => l.name === name && l.count === expected));
  return lists.find((l) => l.name === name) as ContactList;
}
