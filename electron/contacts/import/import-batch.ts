import type { ErrorCode } from '../../../shared/errors';
import type { CountryCode } from '../../phones';

/*
 * What an import's threads hand each other: the reader's batches of normalised rows and the messages between
 * the main thread, the reader and the stager. Apart from the reader's code so the stager thread loads none of it.
 */

/** What the reader needs of an import: the file, and how its columns map. */
export type ReadRequest = {
  file: string;
  sheet: string | null;
  headerRow: number;
  headers: string[];
  phoneColumn: number;
  nameColumn: number | null;
  fieldColumns: number[];
  defaultCountry: CountryCode;
};

/** Whether two requests read a file the same way (the same rows, normalised the same), whatever list they go to. */
export function sameRead(a: ReadRequest, b: ReadRequest): boolean {
  const key = (r: ReadRequest) => JSON.stringify([r.file, r.sheet, r.headerRow, r.headers, r.phoneColumn, r.nameColumn, r.fieldColumns, r.defaultCountry]);
  return key(a) === key(b);
}

/** Values per valid row in a batch's `rows`. */
export const ROW_VALUES = 5;

/**
 * `repairedLines`: lines of a UTF-8 file that were Windows-1252, read as such. `multiValue`: rows whose phone cell
 * held several numbers (the others kept in the "(otros)" field).
 */
export type ImportCounts = { rowsRead: number; valid: number; duplicates: number; rejected: number; repairedLines: number; multiValue: number };

/**
 * Rows read, normalised and checked for duplicates, ready to stage. Flat arrays (values per row in a fixed order):
 * the staging writer binds them a hundred rows per statement, and a million rows make no million small objects.
 */
export type ReadBatch = {
  /** rowNumber, E.164 phone, name or null, the name's search key, fields as JSON — per valid row (ROW_VALUES). */
  rows: (number | string | null)[];
  /** rowNumber, reason, row it duplicates or null, the row's cells as JSON — per refused row. */
  bad: (number | string | null)[];
  counts: ImportCounts;
  /** How much of the file is read, 0–1. */
  fraction: number;
};

/** What the reader's thread is given: the request, its staging file, and from how many rows to sort by phone. */
export type ReaderTask = { request: ReadRequest; staging: string; sortedFrom: number };

/**
 * A reader thread started ahead of its import (see WarmReader): the previewed file with the suggested mapping, read
 * while the user looks at the mapping, so the import runs on compiled code. With `staging` (a file in the data
 * folder's imports/) the rows are staged there too: an import of that same read then has them already.
 */
export type ReaderWarmUp = { warmUp: ReadRequest; staging: string | null };

/** What the stager's thread is told (its file, batches, then the end) and answers. */
export type StagerTaskMessage =
  /** A file to stage into; one opened before (a warm-up's) is closed and removed. */
  | { kind: 'open'; staging: string }
  | { kind: 'batch'; batch: ReadBatch }
  /** The end: sorted if asked, marked whole and synced — then moved to `moveTo` (a warm-up's file becoming the run's). */
  | { kind: 'finish'; counts: ImportCounts; sortByPhone: boolean; moveTo: string | null };
export type StagerMessage = { kind: 'written' } | { kind: 'finished' } | { kind: 'failed'; code: ErrorCode; message: string };

/** What the reader's thread says: progress, then done — or why the file could not be read. */
export type ReaderMessage =
  /** Loaded and waiting for its task (a thread started ahead of an import), after warming up on that many rows. */
  | { kind: 'ready'; warmedRows: number }
  | { kind: 'progress'; counts: ImportCounts; fraction: number }
  | { kind: 'done'; counts: ImportCounts }
  | { kind: 'failed'; code: ErrorCode; message: string };
