import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/app-error';
import { createDispatcher, mergeHandlers, type Handlers } from '../../../electron/core/dispatcher';
import { silentLogger } from '../../../electron/core/logger';
import { defaultSettings } from '../../../electron/settings';
import { commands } from '../../../shared/contract';

const unused = (): never => {
  throw new Error('not used in these tests');
};

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const settings = defaultSettings();
  const all: Record<string, unknown> = Object.fromEntries(Object.keys(commands).map((name) => [name, unused]));
  return {
    ...all,
    'app.info': () => ({ name: 'x', version: '1', mode: 'web', demo: false, dataDir: '/d', dbFile: '/d/db', schemaVersion: 1, platform: 'linux' }),
    'settings.get': () => settings,
    'settings.update': (patch) => ({ ...settings, ...patch }),
    ...overrides,
  } as Handlers;
}

describe('dispatcher', () => {
  it('refuses an invalid input before the handler runs and names the field', async () => {
    let ran = false;
    const dispatcher = createDispatcher(
      handlers({
        'settings.update': () => {
          ran = true;
          return defaultSettings();
        },
      }),
      silentLogger(),
    );
    const result = await dispatcher.dispatch('settings.update', { language: 'fr' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'language' } });
    expect(ran).toBe(false);
  });

  it('refuses unknown keys in a strict input', async () => {
    const dispatcher = createDispatcher(handlers(), silentLogger());
    const result = await dispatcher.dispatch('settings.update', { colour: 'red' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_input');
  });

  it('answers an unknown command with unknown_command', async () => {
    const dispatcher = createDispatcher(handlers(), silentLogger());
    expect(await dispatcher.dispatch('drop.everything', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await dispatcher.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
  });

  it('passes an AppError through with its code and field', async () => {
    const dispatcher = createDispatcher(
      handlers({
        'settings.get': () => {
          throw new AppError('not_found', 'gone', 'id');
        },
      }),
      silentLogger(),
    );
    expect(await dispatcher.dispatch('settings.get', {})).toEqual({ ok: false, error: { code: 'not_found', message: 'gone', field: 'id' } });
  });

  it('never leaks a stack or message of an unexpected error', async () => {
    const dispatcher = createDispatcher(
      handlers({
        'settings.get': () => {
          throw new Error('SQLITE_CORRUPT at /home/secret/path');
        },
      }),
      silentLogger(),
    );
    const result = await dispatcher.dispatch('settings.get', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
  });

  it('refuses a handler output that breaks the contract', async () => {
    const dispatcher = createDispatcher(handlers({ 'settings.get': () => ({ language: 'xx' }) as never }), silentLogger());
    expect(await dispatcher.dispatch('settings.get', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('treats a missing input as an empty object', async () => {
    const dispatcher = createDispatcher(handlers(), silentLogger());
    expect(await dispatcher.dispatch('settings.get', undefined)).toMatchObject({ ok: true });
  });
});

describe('mergeHandlers', () => {
  it('throws when a command is registered twice', () => {
    const all = handlers();
    expect(() => mergeHandlers(all, { 'app.info': all['app.info'] })).toThrow(/registered twice: app.info/);
  });

  it('throws when a command has no handler', () => {
    const { 'settings.get': _, ...rest } = handlers();
    expect(() => mergeHandlers(rest)).toThrow(/without a handler: settings.get/);
  });
});
