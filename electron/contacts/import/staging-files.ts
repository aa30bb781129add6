import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db';

/*
 * Where an import's staging files live, and their removal: apart from the staging writer, so the reader's thread
 * can remove a file without loading SQLite.
 */

/**
 * An import's rows between reading and saving live in a SQLite file of their own in the data folder
 * (`imports/run-<id>.db`): written by the reader's thread, so the main thread stays free while a million rows are
 * read, and still there after a crash, so a merge that was cut short can finish at the next start. Nothing goes
 * to the OS temp folder.
 */
export function stagingDir(db: Db): string {
  return path.join(path.dirname(db.name), 'imports');
}

export function stagingFile(dir: string, runId: number): string {
  return path.join(dir, `run-${runId}.db`);
}

/**
 * A warm-up's staging file (see WarmReader): renamed to its run's when an import takes it, removed otherwise — at
 * the latest by the next start's sweep, which keeps only the files of live runs.
 */
export function warmStagingFile(dir: string): string {
  return path.join(dir, `warm-${randomUUID()}.db`);
}

/** The run a staging file belongs to, from its name; null for anything else in the folder. */
export function stagingRunId(fileName: string): number | null {
  const match = /^run-(\d+)\.db(-journal|-wal|-shm)?$/.exec(fileName);
  return match ? Number(match[1]) : null;
}

/** A staging file and the files SQLite may keep beside it. */
const STAGING_SUFFIXES = ['', '-journal', '-wal', '-shm'];

/**
 * Removes a staging file off the event loop, for an import that ends while the app runs: unlinking a million rows'
 * file (~150 MB) took 100–200 ms, the app held still meanwhile. One the OS still holds open goes at the next sweep.
 */
export async function removeStagingSoon(file: string): Promise<void> {
  await Promise.all(STAGING_SUFFIXES.map((suffix) => fs.promises.rm(`${file}${suffix}`, { force: true }).catch(() => undefined)));
}

/** Removes a staging file now (at start-up); one the OS still holds open (Windows) goes at the next start's sweep. */
export function removeStaging(file: string): void {
  for (const suffix of STAGING_SUFFIXES) {
    try {
      fs.rmSync(`${file}${suffix}`, { force: true });
    } catch {
      // swept at the next start
    }
  }
}
