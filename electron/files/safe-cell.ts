/**
 * Excel, LibreOffice and Google Sheets read a CSV cell that starts with = + - @, a tab or a carriage return as a
 * formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`). A leading apostrophe is what they honour as "this is text": it is
 * not shown, and it keeps a phone like +525512345678 readable as text instead of 5.2559E+11.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCell(value: string | number): string | number {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** The other way, for our own exports imported again: the apostrophe the export added goes. */
export function unguardCell(value: string): string {
  return value.charCodeAt(0) === 39 && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
