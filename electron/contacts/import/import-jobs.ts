import fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { FilePreview, ImportHistoryItem, ImportInputSchema, ImportNotice, ImportSummary } from '../../../shared/contacts';
import type { Language } from '../../../shared/types';
import { AppError } from '../../core/app-error';
import type { Clock } from '../../core/clock';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { Db } from '../../db';
import { writeTable, type FileStore } from '../../files';
import { mainText } from '../../i18n';
import { ImportRun, type ImportOutcome, type ImportStop, type RunRow, type SpaceWaiter } from './import-job';
import { completeCounts, removeStaging, stagingDir, stagingFile, stagingRunId, warmStagingFile } from './import-staging';
import { previewFile } from './inspect';
import { warmReader, warmUpRequest } from './warm-reader';
import type { CountryCode } from '../../phones';

type ImportInput = z.output<typeof ImportInputSchema>;
const PROGRESS_EVERY_MS = 150;
const SUMMARY_REJECTS = 1000;
/** Refused rows per page of their CSV. */
const REJECTS_PAGE = 2000;
/** An import (as `i`) whose refused rows are still being copied is not there yet for the user (see ImportRun.openRecord). */
const RECORD_DONE = 'NOT EXISTS (SELECT 1 FROM import_runs r WHERE r.import_id = i.id)';

/** Runs contact imports in the background, one at a time, and reports their progress as events. */
export class ImportJobs {
  private current: ImportRun | undefined;
  private running: Promise<void> = Promise.resolve();
  private closing = false;
  private nextJob = 1;

  constructor(
    private readonly deps: { db: Db; bus: EventBus; files: FileStore; clock: Clock; logger: Logger; language: () => Language; space?: SpaceWaiter },
  ) {}

  /**
   * At start-up, what a crash or a close left: a run stopped while reading is dropped whole (nothing of it was in
   * the user's data), one stopped while saving is finished from its cursor; either way the user is told. Staging
   * files of no live run are removed: they hold personal data.
   */
  recover(): void {
    const { db } = this.deps;
    const dir = stagingDir(db);
    const now = this.deps.clock.now();
    const resumable: RunRow[] = [];
    for (const row of ImportRun.pending(db)) {
      const file = stagingFile(dir, row.id);
      if (row.phase === 'saving' && completeCounts(file) !== null) {
        resumable.push(row);
        continue;
      }
      db.transaction(() => {
        db.prepare('DELETE FROM import_runs WHERE id = ?').run(row.id);
        if (row.phase === 'reading') {
          db.prepare("INSERT INTO import_notices (kind, file_name, created_at) VALUES ('discarded', ?, ?)").run(row.file_name, now);
        } else {
          // Saving, but its staging file is gone (removed by hand): what was merged stays, and the user is told how much.
          const counts = row.counts ? (JSON.parse(row.counts) as { valid: number }) : { valid: row.merged };
          db.prepare("INSERT INTO import_notices (kind, file_name, saved, total, created_at) VALUES ('incomplete', ?, ?, ?, ?)").run(row.file_name, row.merged, counts.valid, now);
        }
      })();
      removeStaging(file);
      this.deps.logger.warn({ run: row.id, phase: row.phase }, 'import interrupted by a stop: dropped');
    }
    const live = new Set(resumable.map((r) => r.id));
    if (fs.existsSync(dir)) {
      for (const name of fs.readdirSync(dir)) {
        const id = stagingRunId(name);
        if (id === null || !live.has(id)) fs.rmSync(path.join(dir, name), { force: true, recursive: true });
      }
    }
    if (resumable.length > 0) this.running = this.resumeAll(resumable);
  }

  private async resumeAll(rows: RunRow[]): Promise<void> {
    for (const row of rows) {
      if (this.closing) return;
      const run = ImportRun.resuming(this.deps.db, this.nextJob++, row, () => this.deps.clock.now(), this.deps.space);
      this.deps.logger.info({ run: row.id, merged: row.merged }, 'resuming an import a stop interrupted while saving');
      this.current = run;
      await this.execute(run);
    }
  }

  /** What the user has not yet been told about interrupted imports, and an import being finished now. */
  notices(): ImportNotice[] {
    const rows = this.deps.db
      .prepare(
        `SELECT n.id, n.kind, n.file_name, n.import_id, i.list_id, i.imported, i.updated, n.saved, n.total, n.created_at
         FROM import_notices n LEFT JOIN imports i ON i.id = n.import_id WHERE n.seen_at IS NULL ORDER BY n.id`,
      )
      .all() as { id: number; kind: 'resumed' | 'discarded' | 'incomplete'; file_name: string; import_id: number | null; list_id: number | null; imported: number | null; updated: number | null; saved: number | null; total: number | null; created_at: number }[];
    const notices: ImportNotice[] = rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      fileName: r.file_name,
      importId: r.import_id,
      listId: r.list_id,
      saved: r.kind === 'resumed' ? (r.imported ?? 0) + (r.updated ?? 0) : r.saved,
      total: r.total,
      at: r.created_at,
    }));
    const current = this.current;
    // Once its last step is committed (fraction 1) the run has its 'resumed' notice: it is no longer "resuming",
    // though it may still be removing its staging file.
    if (current?.resumed && current.progress().fraction < 1) {
      notices.push({ id: null, kind: 'resuming', fileName: current.request.fileName, importId: null, listId: null, saved: null, total: current.counts.valid, at: this.deps.clock.now() });
    }
    return notices;
  }

  noticeSeen(id: number): void {
    const done = this.deps.db.prepare('UPDATE import_notices SET seen_at = ? WHERE id = ? AND seen_at IS NULL').run(this.deps.clock.now(), id);
    if (done.changes === 0) throw new AppError('not_found', `no notice ${id}`, 'id');
  }

  async preview(uploadId: string, opts: { sheet?: string | undefined; headerRow?: number | undefined }): Promise<FilePreview> {
    const upload = this.deps.files.upload(uploadId);
    const preview = await previewFile(upload.path, opts);
    // The file reads: a reader thread starts now and reads it (staging its rows) while the user looks at the mapping;
    // an import with the mapping as suggested then only saves them (see WarmReader).
    if (!this.closing) warmReader.warm(warmUpRequest(upload.path, preview), warmStagingFile(stagingDir(this.deps.db)));
    return { ...preview, fileName: upload.fileName, size: upload.size };
  }

  /** Validates everything that can be checked before any row is read, then starts the run. */
  async start(input: ImportInput): Promise<{ jobId: number }> {
    if (this.current) throw new AppError('import_busy', 'another import is running');
    const upload = this.deps.files.upload(input.uploadId);
    const preview = await previewFile(upload.path, { ...(input.sheet ? { sheet: input.sheet } : {}), headerRow: input.headerRow });
    const width = preview.headers.length;
    if (input.phoneColumn >= width) throw new AppError('invalid_input', 'phoneColumn: no such column', 'phoneColumn');
    if (input.nameColumn !== null && (input.nameColumn >= width || input.nameColumn === input.phoneColumn)) {
      throw new AppError('invalid_input', 'nameColumn: not a separate column of the file', 'nameColumn');
    }
    if ('id' in input.list) {
      if (this.deps.db.prepare('SELECT 1 FROM lists WHERE id = ?').get(input.list.id) === undefined) {
        throw new AppError('not_found', `no list ${input.list.id}`, 'list.id');
      }
    } else if (this.deps.db.prepare('SELECT 1 FROM lists WHERE name = ?').get(input.list.name) !== undefined) {
      throw new AppError('list_exists', `a list named ${input.list.name} exists`, 'list.name');
    }
    const tagColumn = input.tagColumn ?? null;
    if (tagColumn !== null && (tagColumn >= width || tagColumn === input.phoneColumn || tagColumn === input.nameColumn)) {
      throw new AppError('invalid_input', 'tagColumn: not a separate column of the file', 'tagColumn');
    }
    // The tags' column is read as a field (kept on the contact as well), then split into tags once the contacts are in.
    const fieldColumns = [...new Set([...input.fieldColumns, ...(tagColumn === null ? [] : [tagColumn])])].filter((c) => c < width && c !== input.phoneColumn && c !== input.nameColumn);
    const jobId = this.nextJob++;
    const run = new ImportRun(
      this.deps.db,
      jobId,
      {
        file: upload.path,
        fileName: upload.fileName,
        sheet: preview.sheet,
        headerRow: input.headerRow,
        headers: preview.headers,
        phoneColumn: input.phoneColumn,
        nameColumn: input.nameColumn,
        fieldColumns,
        defaultCountry: input.defaultCountry as CountryCode,
        list: input.list,
        existing: input.existing ?? 'update',
        ...(input.consent ? { consent: input.consent } : {}),
        ...(tagColumn !== null && preview.headers[tagColumn] ? { tagField: preview.headers[tagColumn] } : {}),
      },
      () => this.deps.clock.now(),
      undefined,
      this.deps.space,
    );
    this.current = run;
    this.running = this.execute(run).finally(() => {
      // The list's rows are in the staging file (or saved) by now: the uploaded copy is not kept, stopped or not.
      this.deps.files.discardUpload(input.uploadId);
    });
    return { jobId };
  }

  /** Whether an import is running (started by the user, or being finished after a stop). */
  busy(): boolean {
    return this.current !== undefined;
  }

  cancel(jobId: number): boolean {
    if (!this.current || this.current.job !== jobId) throw new AppError('import_not_found', `no running import ${jobId}`, 'jobId');
    return this.current.cancel();
  }

  /**
   * The app is closing: an import still reading stops with its reader thread (the next start drops it and says so);
   * one saving stops between two batches (the next start finishes it). Resolves once it has.
   */
  async stop(): Promise<void> {
    this.closing = true;
    const dropped = warmReader.drop();
    this.current?.stop();
    await dropped;
    await this.running;
  }

  summary(importId: number): ImportSummary {
    const row = this.deps.db.prepare(`SELECT * FROM imports i WHERE id = ? AND ${RECORD_DONE}`).get(importId) as
      | { id: number; file_name: string; list_id: number | null; headers: string; total_rows: number; imported: number; updated: number; duplicates: number; rejected: number; repaired_lines: number; existing: 'update' | 'keep' }
      | undefined;
    if (!row) throw new AppError('import_not_found', `no import ${importId}`, 'importId');
    const rejects = (
      this.deps.db
        .prepare('SELECT row_number, reason, duplicate_of, cells FROM import_rejects WHERE import_id = ? ORDER BY row_number LIMIT ?')
        .all(importId, SUMMARY_REJECTS) as { row_number: number; reason: ImportSummary['rejects'][number]['reason']; duplicate_of: number | null; cells: string }[]
    ).map((r) => ({ rowNumber: r.row_number, reason: r.reason, duplicateOf: r.duplicate_of, cells: JSON.parse(r.cells) as string[] }));
    return {
      importId: row.id,
      fileName: row.file_name,
      listId: row.list_id,
      headers: JSON.parse(row.headers) as string[],
      totalRows: row.total_rows,
      imported: row.imported,
      updated: row.updated,
      duplicates: row.duplicates,
      rejected: row.rejected,
      repairedLines: row.repaired_lines,
      rejects,
      existing: row.existing,
    };
  }

  /** Past imports, newest first: what came from which file into which list, and when. */
  history(limit = 50): ImportHistoryItem[] {
    return (
      this.deps.db
        .prepare(
          `SELECT i.id, i.file_name, i.list_id, l.name AS list_name, i.created_at, i.imported, i.updated, i.duplicates, i.rejected, i.existing
           FROM imports i LEFT JOIN lists l ON l.id = i.list_id
           WHERE ${RECORD_DONE}
           ORDER BY i.created_at DESC, i.id DESC LIMIT ?`,
        )
        .all(limit) as { id: number; file_name: string; list_id: number | null; list_name: string | null; created_at: number; imported: number; updated: number; duplicates: number; rejected: number; existing: 'update' | 'keep' }[]
    ).map((r) => ({ importId: r.id, fileName: r.file_name, listId: r.list_id, listName: r.list_name, createdAt: r.created_at, imported: r.imported, updated: r.updated, duplicates: r.duplicates, rejected: r.rejected, existing: r.existing }));
  }

  /**
   * The refused rows as a CSV the user can fix and import again: the row, why, then the row's own columns; or the
   * repeated rows, each with the row it repeats (to check that nobody was merged by mistake).
   */
  async rejectsCsv(importId: number, kind: 'rejected' | 'duplicates' = 'rejected'): Promise<{ id: string; fileName: string }> {
    const summary = this.summary(importId);
    const language = this.deps.language();
    const t = (key: Parameters<typeof mainText>[1]) => mainText(language, key);
    const base = summary.fileName.replace(/\.[^.]+$/, '');
    const duplicates = kind === 'duplicates';
    const download = this.deps.files.createDownload(`${base} - ${t(duplicates ? 'import.duplicatesFileSuffix' : 'import.rejectsFileSuffix')}.csv`);
    type Reject = { row_number: number; reason: string; duplicate_of: number | null; cells: string };
    const page = this.deps.db.prepare(
      `SELECT row_number, reason, duplicate_of, cells FROM import_rejects
       WHERE import_id = ? AND row_number > ? AND reason ${duplicates ? '=' : '!='} 'duplicate' ORDER BY row_number LIMIT ?`,
    );
    // Hundreds of thousands of refused rows are written a page at a time, the app answering in between.
    async function* pages(): AsyncGenerator<Reject[]> {
      let after = 0;
      for (;;) {
        const rows = page.all(importId, after, REJECTS_PAGE) as Reject[];
        if (rows.length === 0) return;
        yield rows;
        after = rows[rows.length - 1]?.row_number ?? after;
        await yieldToLoop();
      }
    }
    const toRow = (r: Reject) => [r.row_number, duplicates ? (r.duplicate_of ?? '') : mainText(language, `import.reason.${r.reason}` as Parameters<typeof mainText>[1]), ...(JSON.parse(r.cells) as string[])];
    await writeTable(download.path, 'csv', { sheet: '', header: [t('import.colRow'), t(duplicates ? 'import.colDuplicateOf' : 'import.colReason'), ...summary.headers], pages: pages(), toRow });
    const stored = download.commit();
    return { id: stored.id, fileName: stored.fileName };
  }

  private async execute(run: ImportRun): Promise<void> {
    if (run.resumed) this.deps.bus.emit('contacts.changed', { reason: 'import' });
    let last = 0;
    const report = (force = false) => {
      const now = this.deps.clock.now();
      if (!force && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      this.deps.bus.emit('contacts.importProgress', { jobId: run.job, ...run.progress() });
    };
    try {
      const outcome: ImportOutcome | ImportStop = await run.run(() => report());
      report(true);
      if (outcome === 'stopped') {
        this.deps.logger.info({ job: run.job }, 'import stopped by the close; the next start takes it up');
      } else if (outcome === 'cancelled') {
        this.deps.bus.emit('contacts.importFinished', { jobId: run.job, status: 'cancelled', summary: null, error: null });
      } else {
        this.deps.bus.emit('contacts.importFinished', { jobId: run.job, status: 'done', summary: this.summary(outcome.importId), error: null });
        this.deps.bus.emit('contacts.changed', { reason: 'import' });
      }
    } catch (error) {
      this.deps.logger.error({ err: error, job: run.job }, 'import failed');
      const apiError = error instanceof AppError ? { code: error.code, message: error.message } : { code: 'internal', message: 'internal error' };
      this.deps.bus.emit('contacts.importFinished', { jobId: run.job, status: 'failed', summary: null, error: apiError });
    } finally {
      this.current = undefined;
    }
  }
}
