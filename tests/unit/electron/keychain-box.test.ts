import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloudSecrets, plainBox } from '../../../electron/cloud';
import { keychainBox } from '../../../electron/shell/keychain-box';
import { tempDir } from '../../helpers/temp-dir';
import { createFakeElectron } from './fake-electron';

const TOKEN = 'EAAJB1ZCZBtest0token0for0the0mock0only';
const SECRET = '0123456789abcdef0123456789abcdef';

describe('Cloud API secrets at rest', () => {
  it('the desktop app seals them with the keychain: the file holds no token in clear, and reads back', () => {
    const dir = tempDir();
    const { safeStorage } = createFakeElectron({ userData: dir, appPath: dir }).electron;
    const secrets = new CloudSecrets(dir, keychainBox(safeStorage)!);
    secrets.set('n_abc123', { token: TOKEN, appSecret: SECRET });
    const file = path.join(dir, 'cloud-secrets.json');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(SECRET);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(new CloudSecrets(dir, keychainBox(safeStorage)!).get('n_abc123')).toEqual({ token: TOKEN, appSecret: SECRET });
    expect(secrets.kind).toBe('keychain');
    secrets.remove('n_abc123');
    expect(new CloudSecrets(dir, keychainBox(safeStorage)!).get('n_abc123')).toBeNull();
  });

  it('without a keychain (and in web mode) an owner-only file, which the app says', () => {
    const dir = tempDir();
    const { safeStorage } = createFakeElectron({ userData: dir, appPath: dir, keychain: false }).electron;
    expect(keychainBox(safeStorage)).toBeUndefined();
    const secrets = new CloudSecrets(dir, plainBox);
    secrets.set('n_abc123', { token: TOKEN, appSecret: SECRET });
    expect(secrets.kind).toBe('file');
    expect(fs.statSync(path.join(dir, 'cloud-secrets.json')).mode & 0o777).toBe(0o600);
  });
});
