import type { Language } from '../shared/types';

/** Dates as the user reads them ("mañana 11:40" style is left to the sentence around it). */
export function formatWhen(ms: number, language: Language): string {
  return new Date(ms).toLocaleString(language === 'es' ? 'es-MX' : 'en-US', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function formatNumber(n: number, language: Language): string {
  return n.toLocaleString(language === 'es' ? 'es-MX' : 'en-US');
}
