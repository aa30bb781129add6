import { Metadata, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/min';

/** Why a phone cell was refused; the UI and the rejected-rows CSV explain each in the user's language. */
export type PhoneRejectReason = 'empty' | 'scientific_notation' | 'not_a_number' | 'too_short' | 'too_long' | 'invalid';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: PhoneRejectReason };

/**
 * libphonenumber-js's own pattern for Mexican national numbers. With its 'min' metadata, validity is exactly a
 * match of this pattern, so a `+52` + 10-digit number that matches is valid without a full parse (imports of a
 * million rows spend most of their time here); anything else takes the full path.
 */
const MX_NATIONAL = (() => {
  const metadata = new Metadata();
  metadata.selectNumberingPlan('MX');
  // The typings omit nationalNumberPattern(), which NumberingPlan has.
  const plan = metadata.numberingPlan as unknown as { nationalNumberPattern(): string } | undefined;
  return new RegExp(`^(?:${plan?.nationalNumberPattern() ?? '$^'})$`);
})();

const SCIENTIFIC = /^[+-]?\d+([.,]\d+)?e[+-]?\d+$/i;
const SEPARATORS = /[\s.\-()/\u00a0\u2010-\u2015]/g;

/**
 * A phone cell as Excel, Google Contacts or a CRM exports it, to E.164. Mexico first: `044`/`045`/`01`
 * prefixes, `+52 1`/`521` (stored without the `1`), `0052`; libphonenumber-js judges what remains.
 */
export function normalizePhone(raw: string | number | null | undefined, defaultCountry: CountryCode = 'MX'): PhoneResult {
  if (raw === null || raw === undefined) return { ok: false, reason: 'empty' };
  if (typeof raw === 'number') {
    // A number cell beyond 15 digits or with decimals has already lost digits in Excel.
    if (!Number.isSafeInteger(raw) || raw < 0) return { ok: false, reason: 'scientific_notation' };
    raw = String(raw);
  }
  let digits = plainDigits(raw);
  if (digits === null) {
    // A leading apostrophe is Excel's "keep as text" mark, and what our CSV exports put before a +52… phone.
    const trimmed = raw.trim();
    const text = trimmed.charCodeAt(0) === 39 ? trimmed.slice(1).trim() : trimmed;
    if (text === '') return { ok: false, reason: 'empty' };
    if (SCIENTIFIC.test(text.replace(/\s/g, ''))) return { ok: false, reason: 'scientific_notation' };
    digits = withoutLabel(text).replace(SEPARATORS, '');
    if (!/^\+?\d+$/.test(digits)) return { ok: false, reason: 'not_a_number' };
  }
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;

  digits = mexicanForm(digits, defaultCountry);
  if (digits.length === 13 && digits.startsWith('+52') && MX_NATIONAL.test(digits.slice(3))) return { ok: true, e164: digits };
  if (defaultCountry === 'MX' && digits.length === 10 && MX_NATIONAL.test(digits)) return { ok: true, e164: `+52${digits}` };
  const phone = parsePhoneNumberFromString(digits, defaultCountry);
  if (phone?.isValid()) return { ok: true, e164: phone.number };
  const length = validatePhoneNumberLength(digits, defaultCountry);
  if (length === 'TOO_SHORT' || length === 'NOT_A_NUMBER') return { ok: false, reason: 'too_short' };
  if (length === 'TOO_LONG') return { ok: false, reason: 'too_long' };
  return { ok: false, reason: 'invalid' };
}

/**
 * The usual cell, read in one pass: digits, at most a leading "+", and the common separators (space, . - ( ) /,
 * no-break space, dashes). Its digits as `text.replace(SEPARATORS, '')` would give them; null for anything else
 * (letters, an apostrophe, other spaces, nothing at all), which takes the full path.
 */
function plainDigits(text: string): string | null {
  let digits = '';
  let from = -1; // start of the current run of digits (or "+"), -1 between runs
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c === 43 && !any)) {
      if (from < 0) from = i;
      any = true;
    } else if (c === 32 || c === 46 || c === 45 || c === 40 || c === 41 || c === 47 || c === 0xa0 || (c >= 0x2010 && c <= 0x2015)) {
      if (from >= 0) digits += text.slice(from, i);
      from = -1;
    } else {
      return null;
    }
  }
  if (from >= 0) digits = from === 0 && digits === '' ? text : digits + text.slice(from);
  return any && digits !== '+' ? digits : null;
}

/** An extension at the end of a phone (`ext. 12`, `extensión 3`, `x 104`): WhatsApp has none, so it is dropped. */
const EXTENSION = /\s*[,;]?\s*(?:ext(?:ensi[oó]n)?|x)\s*\.?\s*(?:no\.?\s*)?#?\s*\d{1,6}\s*$/iu;
/** Words before the number (`Cel.`, `Tel:`, `WhatsApp:`, `Móvil -`) and after it (`(casa)`): letters and marks only. */
const LEADING_LABEL = /^[\p{L}\s.:#(\-\u2013]*$/u;
const TRAILING_LABEL = /^(?:[\s(][\p{L}\s.()]*)?$/u;

/**
 * The number inside a cell written with words around it, as people type them (`Cel. 55 1234 5678`,
 * `+52 (33) 1234-5678 ext. 12`): the label and the extension go, the number stays. Text where words and digits mix
 * in any other way is left as it is (and refused as not a number).
 */
function withoutLabel(text: string): string {
  if (!/\p{L}/u.test(text)) return text;
  const cut = text.replace(EXTENSION, '');
  const first = cut.search(/[+\d]/);
  if (first < 0) return text;
  let last = cut.length - 1;
  while (last >= 0 && !/\d/.test(cut[last]!)) last--;
  // A number in parentheses keeps its closing one: `(33) 1234-5678` ends on a digit, `… 5678)` is a label's.
  const before = cut.slice(0, first);
  const after = cut.slice(last + 1);
  if (!LEADING_LABEL.test(before) || !TRAILING_LABEL.test(after)) return text;
  return cut.slice(first, last + 1);
}

/** Rewrites the Mexican forms libphonenumber-js calls invalid into `+52` + 10 digits. */
function mexicanForm(digits: string, defaultCountry: CountryCode): string {
  if (digits.startsWith('+52')) {
    const national = digits.slice(3);
    return national.length === 11 && national.startsWith('1') ? `+52${national.slice(1)}` : digits;
  }
  if (digits.startsWith('+')) return digits;
  if (defaultCountry !== 'MX') return digits;
  // 044 / 045 (mobile from a landline / long distance) and 01 (long distance), all retired in 2019.
  if (digits.length === 13 && (digits.startsWith('044') || digits.startsWith('045'))) return `+52${digits.slice(3)}`;
  if (digits.length === 12 && digits.startsWith('01')) return `+52${digits.slice(2)}`;
  // The country code written without the +: 52 + 10 digits, or 521 + 10 digits.
  if (digits.length === 13 && digits.startsWith('521')) return `+52${digits.slice(3)}`;
  if (digits.length === 12 && digits.startsWith('52')) return `+${digits}`;
  return digits;
}

export type { CountryCode };
