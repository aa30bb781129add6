import { freePort } from '../../helpers/free-port';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../../shared/api';
import type { AppInfo } from '../../../shared/types';
import { openApiDocument } from '../../../electron/api';
import { ApiNetwork } from '../../../electron/server';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
let network: ApiNetwork | undefined;
afterEach(async () => {
  await network?.close();
  await t?.close();
  t = network = undefined;
});


describe('the API on the user\'s network: an explicit setting, API keys only', () => {
  it('answers keys on the other address, never the UI token or a browser, and stops when the setting goes', async () => {
    t = await startTestApp();
    const app = t.app;
    network = new ApiNetwork({ dispatcher: app.dispatcher, bus: app.bus, logger: app.logger, apiKeys: app.apiKeys, openapi: () => openApiDocument('0.0.0'), settings: () => app.settings.get(), report: (s) => app.setApiNetwork(s) });
    await network.apply();
    expect((await t.call<AppInfo>('app.info')).apiNetwork).toBeNull();

    // 127.0.0.2 stands for the computer's address on the network (another address than the loopback server's).
    const port = await freePort();
    await t.call('settings.update', { apiNetwork: { address: '127.0.0.2', port } });
    await network.apply();
    const info = await t.call<AppInfo>('app.info');
    expect(info.apiNetwork).toEqual({ url: `http://127.0.0.2:${port}`, error: null });
    const base = info.apiNetwork!.url!;
    const { secret } = await t.call<{ key: ApiKey; secret: string }>('apiKeys.create', { name: 'Caja', scope: 'send' });
    const post = (name: string, headers: Record<string, string>) => fetch(`${base}/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });

    expect((await post('messages.list', { Authorization: `Bearer ${secret}` })).status).toBe(200);
    // The app's own token is refused here, in the header or as its cookie.
    expect((await post('messages.list', { Authorization: `Bearer ${t.server.token}` })).status).toBe(401);
    expect((await post('messages.list', { Cookie: `whatzme_${t.server.port}=${t.server.token}` })).status).toBe(401);
    // No browser is served (a page on the network cannot drive it), nor the UI.
    expect((await post('messages.list', { Authorization: `Bearer ${secret}`, Origin: 'http://192.168.1.20' })).status).toBe(403);
    expect((await fetch(`${base}/`, { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(404);
    // A send key's limits hold here as well.
    expect((await post('contacts.query', { Authorization: `Bearer ${secret}` })).status).toBe(403);
    expect((await fetch(`${base}/api/openapi.json`)).status).toBe(200);

    // An address this computer does not have: said, not fatal.
    await t.call('settings.update', { apiNetwork: { address: '203.0.113.9', port } });
    await network.apply();
    expect((await t.call<AppInfo>('app.info')).apiNetwork).toEqual({ url: null, error: 'EADDRNOTAVAIL' });
    await expect(fetch(`${base}/api/openapi.json`)).rejects.toThrow();

    await t.call('settings.update', { apiNetwork: null });
    await network.apply();
    expect((await t.call<AppInfo>('app.info')).apiNetwork).toBeNull();
  });
});
