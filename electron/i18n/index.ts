import type { Language } from '../../shared/types';
import en from './en.json';
import es from './es.json';

export type MainTextKey = keyof typeof es;
const tables: Record<Language, Record<MainTextKey, string>> = { es, en };

/** Text the main process shows itself (menus, start-up errors, the web-mode console), in the UI language. */
export function mainText(language: Language, key: MainTextKey, params: Record<string, string | number> = {}): string {
  return tables[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function hasMainText(key: string): key is MainTextKey {
  return Object.hasOwn(es, key);
}
