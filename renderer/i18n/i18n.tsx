import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Language } from '../../shared/types';
import type { ApiError } from '../../shared/errors';
import { ApiCallError } from '../api/client';
import { translator, type Translate } from './translate';

export { translator, type Translate };

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
  if (apiError.code === 'invalid_input') {
    // The field in the user's words ("las palabras de baja"), never the contract's name ("optOutWords").
    const name = apiError.field?.split('.').filter((part) => !/^\d+$/.test(part)).at(-1);
    const words = name ? t(`fieldNames.${name}`) : '';
    return words && words !== `fieldNames.${name}` ? t('errors.invalid_input', { field: words }) : t('errors.invalid_input_any');
  }
  // Meta's refusals keep Meta's own words (there is no better ones for an unknown refusal).
  return t(`errors.${apiError.code}`, { field: apiError.field ?? '', message: apiError.message });
}
