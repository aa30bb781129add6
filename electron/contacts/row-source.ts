/** A cell as a reader gives it: text, or a number exactly as Excel stored it (phones), or empty. */
export type Cell = string | number | null;

/** One row with the number the user sees in Excel (the first row of the file is 1). */
export type SourceRow = { rowNumber: number; cells: Cell[] };

export type RowSource = {
  rows(): AsyncIterable<SourceRow>;
  /** Bytes of the file read so far, for progress; `size` is the total. */
  bytesRead(): number;
  size: number;
  close(): void;
};

export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'number' ? String(cell) : cell.trim();
}
