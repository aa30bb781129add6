/** The UI's words: Spanish first, English second, looked up by key (no React, no browser). */
import type { Language } from '../../shared/types';
import en from './en.json';
import es from './es.json';

type Tree = { [key: string]: string | Tree };
const tables: Record<Language, Tree> = { es, en };

export type Translate = (key: string, params?: Record<string, string | number>) => string;

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function translator(language: Language): Translate {
  const numbers = new Intl.NumberFormat(language === 'es' ? 'es-MX' : 'en-US');
  // A number in a sentence is read with its thousands separator ("6,000", not "6000").
  const show = (value: string | number) => (typeof value === 'number' ? numbers.format(value) : value);
  return (key, params = {}) => {
    // "1 contacto", not "1 contactos": a `<key>_one` text, where there is one, is used when the count is 1.
    const one = String(params.count) === '1' ? (lookup(tables[language], `${key}_one`) ?? lookup(tables.es, `${key}_one`)) : undefined;
    const text = one ?? lookup(tables[language], key) ?? lookup(tables.es, key) ?? key;
    // Only the given parameters are filled in: texts also show template syntax such as {{nombre}}.
    // A value that ends a sentence with its own period ("2:19 p.m.") takes the place of the text's period: no "p.m..".
    return text.replace(/\{(\w+)\}(\.?)/g, (whole, name: string, period: string) => {
      if (!(name in params)) return whole;
      const value = show(params[name] as string | number);
      return value.endsWith('.') ? value : `${value}${period}`;
    });
  };
}
