/**
 * A cell's values: one for an ordinary cell; for a multi-value one, as Google Contacts writes them
 * (`+52 1 33 4455 6677 ::: +52 33 9999 0000`), the primary first.
 */
export function cellValues(text: string): string[] {
  if (text.indexOf(':::') === -1) return [text];
  return text
    .split(':::')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function firstValue<T extends string | number | null>(cell: T): T | string {
  return typeof cell === 'string' && cell.indexOf(':::') !== -1 ? (cellValues(cell)[0] ?? '') : cell;
}

/** The field that keeps a multi-value phone cell's other numbers: "Teléfono (otros)". */
export function otherValuesField(header: string): string {
  return `${header} (otros)`;
}

