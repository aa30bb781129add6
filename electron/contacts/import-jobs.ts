import fs from 'node:fs';
import { stringify } from 'csv-stringify';
import type { z } from 'zod';
import type { FilePreview, ImportInputSchema, ImportSummary } from '../../shared/contacts';
import type { Language } from '../../shared/types';
import { AppError } from '../core/app-error';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../db';
import type { FileStore } from '../files';
import { mainText } from '../i18n';
import { ImportRun } from './import-job';
import { previewFile } from './inspect';
import type { CountryCode } from './phone';

type ImportInput = z.output<typeof ImportInputSchema>;
const PROGRESS_EVERY_MS = 150;
const SUMMARY_REJECTS = 1000;

/** Runs contact imports in the background, one at a time, and reports their progress as events. */
export class ImportJobs {
  private current: ImportRun | undefined;
  private nextJob = 1;

  constructor(
    private readonly deps: { db: Db; bus: EventBus; files: FileStore; clock: Clock; logger: Logger; language: () => Language },
  ) {}

  async preview(uploadId: string, opts: { sheet?: string | undefined; headerRow?: number | undefined }): Promise<FilePreview> {
    const upload = this.deps.files.upload(uploadId);
    const preview = await previewFile(upload.path, opts);
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
    const fieldColumns = [...new Set(input.fieldColumns)].filter((c) => c < width && c !== input.phoneColumn && c !== input.nameColumn);
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
      },
      () => this.deps.clock.now(),
    );
    this.current = run;
    void this.execute(run);
    return { jobId };
  }

  cancel(jobId: number): boolean {
    if (!this.current || this.current.job !== jobId) throw new AppError('import_not_found', `no running import ${jobId}`, 'jobId');
    return this.current.cancel();
  }

  /** The app is closing: an import still reading stops (its reader thread with it) and writes nothing. */
  stop(): void {
    this.current?.cancel();
  }

  summary(importId: number): ImportSummary {
    const row = this.deps.db.prepare('SELECT * FROM imports WHERE id = ?').get(importId) as
      | { id: number; file_name: string; list_id: number | null; headers: string; total_rows: number; imported: number; updated: number; duplicates: number; rejected: number }
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
      rejects,
    };
  }

  /** The refused rows as a CSV the user can fix and import again: the row, why, then the row's own columns. */
  async rejectsCsv(importId: number): Promise<{ id: string; fileName: string }> {
    const summary = this.summary(importId);
    const language = this.deps.language();
    const t = (key: Parameters<typeof mainText>[1]) => mainText(language, key);
    const base = summary.fileName.replace(/\.[^.]+$/, '');
    const download = this.deps.files.createDownload(`${base} - ${t('import.rejectsFileSuffix')}.csv`);
    const out = fs.createWriteStream(download.path);
    out.write('\ufeff'); // Excel opens UTF-8 CSV correctly only with a BOM
    const csv = stringify({ delimiter: ',' });
    csv.pipe(out);
    csv.write([t('import.colRow'), t('import.colReason'), ...summary.headers]);
    const rows = this.deps.db
      .prepare("SELECT row_number, reason, cells FROM import_rejects WHERE import_id = ? AND reason != 'duplicate' ORDER BY row_number")
      .iterate(importId) as Iterable<{ row_number: number; reason: string; cells: string }>;
    for (const r of rows) {
      csv.write([r.row_number, mainText(language, `import.reason.${r.reason}` as Parameters<typeof mainText>[1]), ...(JSON.parse(r.cells) as string[])]);
    }
    csv.end();
    await new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    const stored = download.commit();
    return { id: stored.id, fileName: stored.fileName };
  }

  private async execute(run: ImportRun): Promise<void> {
    let last = 0;
    const report = (force = false) => {
      const now = this.deps.clock.now();
      if (!force && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      this.deps.bus.emit('contacts.importProgress', { jobId: run.job, ...run.progress() });
    };
    try {
      const outcome = await run.run(() => report());
      report(true);
      if (outcome === 'cancelled') {
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
