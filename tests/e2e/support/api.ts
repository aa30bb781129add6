import { request } from '../../helpers/http';
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
