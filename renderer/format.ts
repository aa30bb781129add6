import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { Language } from '../shared/types';
import { translator, type Translate } from './i18n/translate';
import { isPhoneless } from '../shared/conversations';

/** Dates as the user reads them ("mañana 11:40" style is left to the sentence around it). */
export function formatWhen(ms: number, language: Language, timeZone?: string): string {
  // In a campaign's own time zone when given (its sending hours are in it); else the computer's.
  return new Date(ms).toLocaleString(language === 'es' ? 'es-MX' : 'en-US', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) });
}

/** A date in a table cell, short enough for it ("7 dic, 16:34"): the day and the 24-hour time. */
export function formatShortWhen(ms: number, language: Language): string {
  return new Date(ms).toLocaleString(language === 'es' ? 'es-MX' : 'en-US', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** Minutes after midnight as the `HH:MM` of a time input (540 → "09:00"). */
export function minutesToHhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function formatNumber(n: number, language: Language): string {
  return n.toLocaleString(language === 'es' ? 'es-MX' : 'en-US');
}

/** Why a send failed, was skipped or is in doubt, in the user's words; a code without words reads as "other". */
export function reasonText(t: Translate, reason: string): string {
  const key = `report.reasons.${reason}`;
  const text = t(key);
  return text === key ? t('report.reasons.other', { code: reason }) : text;
}

/**
 * A stored phone (E.164) as people read it: `+525512345678` → `+52 55 1234 5678`. Someone known only by their
 * WhatsApp business-scoped id (they hide their phone behind a username) reads as "Sin teléfono", in the page's language.
 */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  if (isPhoneless(phone)) {
    const page = (globalThis as { document?: { documentElement: { lang: string } } }).document;
    const language = page?.documentElement.lang === 'en' ? 'en' : 'es';
    return translator(language)('contacts.noPhone');
  }
  return parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
}

/** A rate 0–1 as a percentage people read ("12 %"; below 10 % with one decimal). */
export function formatPercent(rate: number, language: Language): string {
  const value = rate * 100;
  return `${value.toLocaleString(language === 'es' ? 'es-MX' : 'en-US', { maximumFractionDigits: value < 10 ? 1 : 0 })} %`;
}

/** A calendar date (YYYY-MM-DD, as a rate card is dated) as people read it: "1 de octubre de 2026". */
export function formatIsoDate(iso: string, language: Language): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString(language === 'es' ? 'es-MX' : 'en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** A day as a sentence names it ("1 de enero" / "January 1"). */
export function formatDay(ms: number, language: Language): string {
  return new Date(ms).toLocaleDateString(language === 'es' ? 'es-MX' : 'en-US', { day: 'numeric', month: 'long' });
}

/** US$ as Meta prices messages: cents for totals, fractions of a cent for one message. */
export function formatUsd(amount: number, language: Language): string {
  const digits = amount !== 0 && Math.abs(amount) < 0.1 ? 4 : 2;
  return new Intl.NumberFormat(language === 'es' ? 'es-MX' : 'en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
}
