import { describe, expect, it } from 'vitest';
import { createApp } from '../../../electron/app/create-app';
import { tempDir } from '../../helpers/temp-dir';

describe('settings through the contract', () => {
  it('defaults to Spanish and persists a change across a restart', async () => {
    const dataDir = tempDir();
    const first = await createApp({ dataDir, version: '0.0.0', mode: 'web' });
    expect(await first.dispatcher.dispatch('settings.get', {})).toMatchObject({ ok: true, value: { language: 'es', browserPath: null } });
    const seen: unknown[] = [];
    first.bus.subscribe((e) => seen.push(e));
    expect(await first.dispatcher.dispatch('settings.update', { language: 'en' })).toMatchObject({ ok: true, value: { language: 'en' } });
    expect(seen).toEqual([{ event: 'settings.changed', payload: expect.objectContaining({ language: 'en' }) }]);
    await first.close();

    const second = await createApp({ dataDir, version: '0.0.0', mode: 'web' });
    expect(await second.dispatcher.dispatch('settings.get', {})).toMatchObject({ ok: true, value: { language: 'en' } });
    await second.close();
  });

  it('refuses a bad patch as a whole and writes nothing', async () => {
    const app = await createApp({ dataDir: tempDir(), version: '0.0.0', mode: 'web' });
    const result = await app.dispatcher.dispatch('settings.update', { language: 'en', timeZone: 'Mars/Olympus_Mons' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'timeZone' } });
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM settings').get()).toEqual({ n: 0 });
    await app.close();
  });

  it('falls back to the default when a stored value is damaged', async () => {
    const app = await createApp({ dataDir: tempDir(), version: '0.0.0', mode: 'web' });
    app.db.prepare("INSERT INTO settings (key, value) VALUES ('language', 'not json'), ('timeZone', '\"Nowhere/Land\"')").run();
    expect(app.settings.get()).toMatchObject({ language: 'es' });
    expect(app.settings.get().timeZone).not.toBe('Nowhere/Land');
    await app.close();
  });

  it('writes its log under logs/ in the data folder', async () => {
    const dataDir = tempDir();
    const app = await createApp({ dataDir, version: '0.0.0', mode: 'web' });
    await app.close();
    const fs = await import('node:fs');
    const log = fs.readFileSync(`${dataDir}/logs/whatzme.log`, 'utf8');
    expect(log).toContain('app started');
  });
});
