import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Language } from '../../shared/types';
import type { ApiError } from '../../shared/errors';
import { ApiCallError } from '../api/client';
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
  return (key, params = {}) => {
    const text = lookup(tables[language], key) ?? lookup(tables.es, key) ?? key;
    // Only the given parameters are filled in: texts also show template syntax such as {{nombre}}.
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

const I18nContext = createContext<{ language: Language; t: Translate }>({ language: 'es', t: translator('es') });

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const value = useMemo(() => ({ language, t: translator(language) }), [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n() {
  return useContext(I18nContext);
}

/** The user's words for a failed call: the error code through `errors.*`, never the raw message. */
export function errorText(t: Translate, error: unknown): string {
  const apiError: ApiError | undefined = error instanceof ApiCallError ? error.error : undefined;
  if (!apiError) return t('errors.internal');
  return t(`errors.${apiError.code}`, { field: apiError.field ?? '' });
}
