import { unguardCell } from '../../files/safe-cell';

/** A cell as a reader gives it: text, or a number exactly as Excel stored it (phones), or empty. */
export type Cell = string | number | null;

/** One row with the number the user sees in Excel (the first row of the file is 1). */
export type SourceRow = { rowNumber: number; cells: Cell[] };

export type RowSource = {
  /** Rows in batches: one await per batch rather than per row, which matters at a million rows. */
  batches(): AsyncIterable<SourceRow[]>;
  /** Bytes of the file read so far, for progress; `size` is the total. */
  bytesRead(): number;
  size: number;
  /** Lines of a UTF-8 file that were Windows-1252 and were read as such (0 for other sources). */
  repairedLines?: () => number;
  close(): void;
};

/** Whether a row has anything in it; cheap for the usual case (a first character that is not a space). */
export function hasContent(cells: Cell[]): boolean {
  return cells.some((c) => c !== null && (typeof c === 'number' || (c.length > 0 && (c.charCodeAt(0) > 32 || c.trim() !== ''))));
}

/** A cell as text, trimmed; the apostrophe our CSV exports put before = + - @ is dropped (see safeCell). */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell);
  const text = cell.trim();
  return text.charCodeAt(0) === 39 ? unguardCell(text) : text;
}

/** Everything an object-mode stream has buffered, as one array per wake-up. */
export async function* drain<T>(stream: NodeJS.ReadableStream & { readableEnded: boolean; errored?: Error | null }): AsyncGenerator<T[]> {
  for (;;) {
    const batch: T[] = [];
    let item: T | null;
    while ((item = stream.read() as T | null) !== null) batch.push(item);
    if (stream.errored) throw stream.errored;
    if (batch.length > 0) {
      yield batch;
      continue;
    }
    if (stream.readableEnded) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('readable', done);
        stream.off('end', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('readable', done);
      stream.on('end', done);
      stream.on('error', done);
    });
  }
}
