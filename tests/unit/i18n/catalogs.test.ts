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
