import type { Language } from '../../../shared/types';

/** Mexico's zones first: most users are there, and the list of 400 is long. */
export const MEXICO_ZONES = ['America/Mexico_City', 'America/Monterrey', 'America/Merida', 'America/Cancun', 'America/Chihuahua', 'America/Mazatlan', 'America/Hermosillo', 'America/Tijuana'];

/**
 * A time zone as people read it, in their language: "Mexico City · hora del centro de México (GMT-6)", not the
 * IANA name in English ("America/Mexico_City", #30 item 9).
 */
export function zoneLabel(zone: string, language: Language, at = Date.now()): string {
  const locale = language === 'es' ? 'es-MX' : 'en-US';
  const part = (style: 'longGeneric' | 'shortOffset') => {
    try {
      return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
    } catch {
      return '';
    }
  };
  const place = zone.split('/').slice(1).join(' / ').replace(/_/g, ' ') || zone;
  const generic = part('longGeneric');
  const offset = part('shortOffset');
  return [place, generic && generic !== offset ? `· ${generic}` : '', offset ? `(${offset})` : ''].filter(Boolean).join(' ');
}

/** Every zone the runtime knows, Mexico's first, the current one always present, each with its label. */
export function zoneOptions(current: string, language: Language): { group: 'mexico' | 'all'; zone: string; label: string }[] {
  const all = Intl.supportedValuesOf('timeZone');
  const known = all.includes(current) ? all : [current, ...all];
  const mexico = MEXICO_ZONES.filter((z) => known.includes(z));
  const rest = known.filter((z) => !MEXICO_ZONES.includes(z));
  return [...mexico.map((zone) => ({ group: 'mexico' as const, zone })), ...rest.map((zone) => ({ group: 'all' as const, zone }))].map((o) => ({ ...o, label: zoneLabel(o.zone, language) }));
}
