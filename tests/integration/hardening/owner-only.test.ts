import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('the data folder is its owner\'s alone (#29 item 8)', () => {
  it('the folder is 0700 and the database, its WAL, the logs and uploads are not readable by others, also when an older version left them 0644', async () => {
    const dataDir = tempDir();
    const first = await startTestApp({}, dataDir);
    await first.close();
    // What an older version left: a world-readable folder and database.
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'whatzme.db'), 0o644);
    const t = await startTestApp({}, dataDir);
    try {
      await t.call('lists.create', { name: 'Privada' });
      expect(mode(dataDir)).toBe(0o700);
      for (const name of fs.readdirSync(dataDir).filter((n) => n.startsWith('whatzme.db'))) expect(mode(path.join(dataDir, name)) & 0o077, name).toBe(0);
      const file = path.join(tempDir(), 'x.csv');
      fs.writeFileSync(file, 'Nombre,Teléfono\nAna,5512345678\n');
      await t.upload(file);
      const walk = (dir: string): string[] => fs.readdirSync(dir).flatMap((n) => (fs.statSync(path.join(dir, n)).isDirectory() ? [path.join(dir, n), ...walk(path.join(dir, n))] : [path.join(dir, n)]));
      const created = walk(dataDir).filter((f) => !f.endsWith('whatzme.db'));
      expect(created.length).toBeGreaterThan(2);
      for (const f of created) expect(mode(f) & 0o077, path.relative(dataDir, f)).toBe(0);
    } finally {
      await t.close();
    }
  });
});
