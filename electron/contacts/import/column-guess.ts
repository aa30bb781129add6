import { firstValue } from './multi-value';
import { normalizePhone } from '../../phones';
import { cellText, type Cell, type SourceRow } from './row-source';

/** What a column's cells look like, judged on the previewed rows. */
export type ColumnKind = 'phone' | 'name' | 'email' | 'date' | 'number' | 'text' | 'empty';
export type ColumnLook = { kind: ColumnKind; matching: number; filled: number };
/** Why a column was suggested: how many of the previewed rows have a phone (or a name) there, and whether its title agreed. */
export type Reason = { column: number; matching: number; sampled: number; byTitle: boolean };

const PHONE_TITLE = /tel[eé]fono|celular|m[oó]vil|whats|phone|mobile|^cel\.?$|^tel\.?$|n[uú]mero/i;
const NAME_TITLE = /nombre|^name$|full name|cliente|contacto|first name|given name/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/;
const NUMBER = /^[-+]?[\d.,\s$]+%?$/;
/** Starts with a letter, then letters, digits ("Tacos 24 Horas"), spaces and the signs names have; one to six words. */
const NAME = /^\p{L}[\p{L}\p{M}\d'’.&, -]{0,59}$/u;
/** A column counts among the best when it has at least this share of the best column's matches. */
const NEAR_BEST = 0.8;

export function isPhoneCell(cell: Cell | undefined): boolean {
  if (cell === null || cell === undefined || cell === '') return false;
  return normalizePhone(firstValue(cell)).ok;
}

function filledCount(row: SourceRow): number {
  return row.cells.filter((c) => cellText(c) !== '').length;
}

/**
 * A cell no title row holds: a phone, or a number that was one (Excel's `5.21551E+12`, a number cell, seven digits
 * or more with separators). A contact whose phone Excel mangled, above the first good row, was taken for the titles.
 */
function isDataCell(cell: Cell | undefined): boolean {
  if (typeof cell === 'number') return true;
  if (isPhoneCell(cell)) return true;
  const text = cellText(cell).trim();
  return SCIENTIFIC_CELL.test(text.replace(/\s/g, '')) || (/^[\d\s+().,-]+$/.test(text) && text.replace(/\D/g, '').length >= 7);
}
const SCIENTIFIC_CELL = /^[+-]?\d+([.,]\d+)?e[+-]?\d+$/i;

/**
 * The row that holds the titles: the nearest row with two or more filled cells and no phone above the first row
 * that has a phone (title rows and notes above a list are skipped); without phones, the first row with two filled
 * cells.
 */
export function guessHeaderRow(rows: SourceRow[]): number {
  const firstWithPhone = rows.findIndex((r) => r.cells.some(isPhoneCell));
  if (firstWithPhone > 0) {
    for (let i = firstWithPhone - 1; i >= 0; i--) {
      const row = rows[i];
      if (row && filledCount(row) >= 2 && !row.cells.some(isDataCell)) return row.rowNumber;
    }
  }
  const candidate = rows.slice(0, 20).find((r) => filledCount(r) >= 2);
  return (candidate ?? rows[0])?.rowNumber ?? 1;
}

/** What each column's cells are, by majority of its filled cells. */
export function lookOfColumns(width: number, rows: SourceRow[]): ColumnLook[] {
  return Array.from({ length: width }, (_, i) => {
    const cells = rows.map((r) => r.cells[i]).filter((c) => cellText(c) !== '');
    const count = (test: (cell: Cell | undefined) => boolean) => cells.filter(test).length;
    const scores: [ColumnKind, number][] = [
      ['phone', count(isPhoneCell)],
      ['email', count((c) => EMAIL.test(cellText(c)))],
      ['date', count((c) => DATE.test(cellText(c)))],
      ['name', count((c) => looksLikeName(cellText(c)))],
      ['number', count((c) => typeof c === 'number' || NUMBER.test(cellText(c)))],
    ];
    const [kind, matching] = scores.reduce((best, s) => (s[1] > best[1] ? s : best), ['text', 0] as [ColumnKind, number]);
    if (cells.length === 0) return { kind: 'empty', matching: 0, filled: 0 };
    // A kind needs half the filled cells; below that the column is just text.
    return matching * 2 >= cells.length ? { kind, matching, filled: cells.length } : { kind: 'text', matching: cells.length, filled: cells.length };
  });
}

function looksLikeName(text: string): boolean {
  return NAME.test(text) && text.split(/\s+/).length <= 6;
}

/**
 * The phone column is the one whose cells are phones, whatever its title says; the title only breaks a near tie
 * (Google's `Phone 1 - Type` holds "Mobile", its `Phone 1 - Value` the numbers). For the name, a column titled as
 * one wins when its cells are text (names are too varied to tell from a city or a status by content alone);
 * otherwise the column of the most distinct names, those of two words or more (full names) above single words.
 */
export function suggestColumns(headers: string[], rows: SourceRow[], looks: ColumnLook[]): { phone: Reason | null; name: Reason | null } {
  const phoneScores = headers.map((_, i) => rows.filter((r) => isPhoneCell(r.cells[i])).length);
  const phone = pick(headers, phoneScores, PHONE_TITLE, rows.length);
  const nameLike = (i: number) => rows.filter((r) => looksLikeName(cellText(r.cells[i]))).length;
  const titled = headers.findIndex((h, i) => i !== phone?.column && NAME_TITLE.test(h) && (looks[i]?.kind === 'name' || looks[i]?.kind === 'text'));
  if (titled !== -1) return { phone, name: { column: titled, matching: nameLike(titled), sampled: rows.length, byTitle: true } };
  const nameScores = headers.map((_, i) => {
    if (i === phone?.column) return 0;
    let score = 0;
    const seen = new Set<string>();
    for (const r of rows) {
      const text = cellText(r.cells[i]);
      if (!looksLikeName(text)) continue;
      // Repeated values are a category (a city, a status), not people.
      score += seen.has(text) ? 0.25 : text.includes(' ') ? 1 : 0.6;
      seen.add(text);
    }
    return score;
  });
  const name = pick(
    headers.map((h, i) => (i === phone?.column ? '' : h)),
    nameScores,
    NAME_TITLE,
    rows.length,
  );
  if (name) name.matching = nameLike(name.column);
  return { phone, name };
}

function pick(headers: string[], scores: number[], title: RegExp, sampled: number): Reason | null {
  const best = Math.max(0, ...scores);
  if (best === 0) {
    // No cell says it: the title alone, if one does.
    const column = headers.findIndex((h) => title.test(h));
    return column === -1 ? null : { column, matching: 0, sampled, byTitle: true };
  }
  const near = scores.flatMap((s, i) => (s >= best * NEAR_BEST ? [i] : []));
  const titled = near.find((i) => title.test(headers[i] ?? ''));
  const column = titled ?? scores.indexOf(best);
  return { column, matching: Math.round(scores[column] ?? 0), sampled, byTitle: titled !== undefined };
}
