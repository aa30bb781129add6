import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import { REPO_ROOT } from '../../helpers/paths';

type Tree = { [key: string]: string | Tree };
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Tree;
const flatten = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.entries(tree).reduce<Record<string, string>>((all, [key, value]) => {
    const full = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? { ...all, [full]: value } : { ...all, ...flatten(value, full) };
  }, {});
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each([
  ['renderer', 'renderer/i18n/es.json', 'renderer/i18n/en.json'],
  ['main process', 'electron/i18n/es.json', 'electron/i18n/en.json'],
])('%s catalogs', (_name, esFile, enFile) => {
  const es = flatten(load(esFile));
  const en = flatten(load(enFile));

  it('have the same keys in Spanish and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });

  it('use the same placeholders in both languages and leave no text empty', () => {
    for (const key of Object.keys(es)) {
      expect(es[key]?.trim(), key).not.toBe('');
      expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(es[key] ?? ''));
    }
  });
});

describe('error codes', () => {
  it('every code the main process can return has words in both languages', () => {
    for (const file of ['renderer/i18n/es.json', 'renderer/i18n/en.json']) {
      const table = flatten(load(file));
      for (const code of ERROR_CODES) expect(table[`errors.${code}`], `${file}: errors.${code}`).toBeTruthy();
    }
  });
});

describe('the renderer\'s keys', () => {
  it('every literal key the UI asks t() for is in the catalog (a key lost in an edit shows as its raw name)', () => {
    const es = flatten(load('renderer/i18n/es.json'));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(rel);
        else if (/\.tsx?$/.test(entry.name)) files.push(rel);
      }
    };
    walk('renderer');
    const missing: string[] = [];
    for (const file of files) {
      const source = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
      // t('a.b.c') and t("a.b.c"); keys built at run time (template literals) are checked where they are listed.
      for (const match of source.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) {
        const key = match[1] ?? '';
        if (key.includes('.') && es[key] === undefined) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
