import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/paths';

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full, ext) : ext.test(entry.name) ? [full] : [];
  });
}

/**
 * Every data-testid the UI renders is driven or read by an end-to-end test: a screen part no browser test touches
 * is a part nobody has seen work. A templated id (`skip-${reason}`) counts by its fixed start.
 */
describe('e2e coverage of the UI', () => {
  it('every data-testid in renderer/ appears in tests/e2e/', () => {
    const ids = new Set<string>();
    for (const file of files(path.join(REPO_ROOT, 'renderer'), /\.tsx$/)) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/data-testid=\{?["'`]([^"'`]+)/g)) ids.add((match[1] ?? '').split('${')[0] ?? '');
    }
    const e2e = files(path.join(REPO_ROOT, 'tests', 'e2e'), /\.ts$/).map((file) => fs.readFileSync(file, 'utf8')).join('\n');
    const unused = [...ids].filter((id) => id !== '' && !['"', "'", '`'].some((quote) => e2e.includes(`${quote}${id}`)));
    expect(ids.size).toBeGreaterThan(200);
    expect(unused).toEqual([]);
  });
});
