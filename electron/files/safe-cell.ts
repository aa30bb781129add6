/**
 * Excel, LibreOffice and Google Sheets read a CSV cell that starts with = + - @, a tab or a carriage return as a
 * formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`). A leading apostrophe makes it text. A phone in E.164
 * (+525512345678) is no formula that can do harm, and in a CSV the apostrophe shows: users saw '+52… in every
 * export (#30 item 9), so a phone goes as it is (the XLSX export keeps it as text).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PHONE = /^\+\d{7,15}$/;

export function safeCell(value: string | number): string | number {
  return typeof value === 'string' && FORMULA_START.test(value) && !PHONE.test(value) ? `'${value}` : value;
}

/** The other way, for our own exports imported again: the apostrophe the export added goes. */
export function unguardCell(value: string): string {
  return value.charCodeAt(0) === 39 && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
