import fs from 'node:fs';
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { ReaderMessage } from '../../../electron/contacts/import/import-reader';
import { REPO_ROOT } from '../../helpers/paths';
import { tempDir } from '../../helpers/temp-dir';

const require = createRequire(import.meta.url);
type Config = Record<string, unknown> & {
  appId: string;
  productName: string;
  win: { target: { target: string }[] };
  mac: { target: { target: string }[]; hardenedRuntime: boolean; entitlements: string };
  linux: { target: string[] };
  asarUnpack: string[];
};
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(dir: string, file: string | null, extra: null): Promise<Config>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation", async () => {
    const config = await getConfig(REPO_ROOT, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would reject a misspelt option (the validation is real)', async () => {
    const config = await getConfig(REPO_ROOT, null, null);
    await expect(validateConfiguration({ ...config, asarUnpak: ['x'] }, new DebugLogger(false))).rejects.toThrow(/asarUnpak/);
  });

  it('targets NSIS, DMG with hardened runtime, AppImage and deb, and unpacks native modules', async () => {
    const config = await getConfig(REPO_ROOT, null, null);
    expect(config.appId).toBe('mx.whatzme.desktop');
    expect(config.productName).toBe('WhatzMe Desktop');
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg', 'zip']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**']));
    for (const file of ['build/icon.png', config.mac.entitlements]) expect(fs.existsSync(path.join(REPO_ROOT, file)), file).toBe(true);
  });

  it('publishes update metadata to the feed the app checks, with zips for macOS updates and signature checks on Windows', async () => {
    const config = (await getConfig(REPO_ROOT, null, null)) as Config & { publish: { provider: string; url: string }[]; generateUpdatesFilesForAllChannels: boolean; mac: { notarize: boolean }; win: { verifyUpdateCodeSignature: boolean } };
    const { UPDATE_FEED_URL } = await import('../../../electron/updates/feed');
    expect(config.publish).toEqual([{ provider: 'generic', url: UPDATE_FEED_URL }]);
    expect(config.generateUpdatesFilesForAllChannels).toBe(true);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg', 'zip']);
    expect(config.mac.notarize).toBe(true);
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
  });

  it('flips the Electron fuses that turn the binary into a general-purpose Node', async () => {
    const config = (await getConfig(REPO_ROOT, null, null)) as Config & { electronFuses: Record<string, boolean> };
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('asks macOS only for the JIT and outgoing network, never to load unsigned libraries', () => {
    const plist = fs.readFileSync(path.join(REPO_ROOT, 'build/entitlements.mac.plist'), 'utf8');
    const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(granted).toEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.network.client']);
  });

  it('has a 512×512 PNG icon', () => {
    const png = fs.readFileSync(path.join(REPO_ROOT, 'build/icon.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});

describe('main-process bundle', () => {
  it('bundles main and preload; the sandboxed preload requires nothing but electron', async () => {
    const { buildElectron } = (await import(path.join(REPO_ROOT, 'scripts/build-electron.mjs'))) as {
      buildElectron(dir: string): Promise<string>;
    };
    const out = await buildElectron(tempDir());
    const preload = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    const main = fs.readFileSync(path.join(out, 'main.cjs'), 'utf8');
    // Kept external, never minified into the bundle:
    expect(main).toContain('require("better-sqlite3")');
    // Worker threads start their bundled entry beside main.cjs (the flag is set), never the TypeScript source.
    expect(main).not.toContain('WHATZME_BUNDLED');
    expect(fs.existsSync(path.join(out, 'import-reader.cjs'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'import-stager.cjs'))).toBe(true);
  });

  it("runs the import reader's bundled worker as Electron would", async () => {
    // Inside the repository, so that the bundle's external packages resolve from node_modules as in the app.
    const out = fs.mkdtempSync(path.join(REPO_ROOT, '.test-bundle-'));
    try {
      const { buildElectron } = (await import(path.join(REPO_ROOT, 'scripts/build-electron.mjs'))) as { buildElectron(dir: string): Promise<string> };
      await buildElectron(out);
      const file = path.join(tempDir(), 'clientes.csv');
      fs.writeFileSync(file, 'Nombre,Teléfono\nAna,55 1234 5678\nAna otra vez,+52 1 55 1234 5678\nSin número,12\n');
      const staging = path.join(tempDir(), 'run-1.db');
      const worker = new Worker(path.join(out, 'import-reader.cjs'), {
        workerData: {
          request: { file, sheet: null, headerRow: 1, headers: ['Nombre', 'Teléfono'], phoneColumn: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX' },
          staging,
          sortedFrom: 100_000,
        },
      });
      const messages: ReaderMessage[] = [];
      await new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (m: ReaderMessage) => {
          messages.push(m);
          if (m.kind !== 'progress') resolve();
        });
      });
      await worker.terminate();
      expect(messages.map((m) => m.kind)).toEqual(['progress', 'done']);
      expect(messages[1]).toEqual({ kind: 'done', counts: { rowsRead: 3, valid: 1, duplicates: 1, rejected: 1, repairedLines: 0, multiValue: 0 } });
      // The bundled thread wrote the staging file with the native SQLite binding, as in the app.
      const written = new Database(staging, { readonly: true });
      expect(written.prepare('SELECT row_number, phone, name, name_key, fields FROM rows').all()).toEqual([{ row_number: 2, phone: '+525512345678', name: 'Ana', name_key: 'ana', fields: '{}' }]);
      expect(written.prepare('SELECT row_number, reason, duplicate_of FROM bad ORDER BY row_number').all()).toEqual([
        { row_number: 3, reason: 'duplicate', duplicate_of: 2 },
        { row_number: 4, reason: 'too_short', duplicate_of: null },
      ]);
      written.close();
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
