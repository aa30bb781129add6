import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../../core/app-error';
import { OffThreadCheckpoints, type Db } from '../../db';
import type { ImportCounts, ReaderMessage, ReaderTask, ReadRequest } from './import-reader';
import { attachStaging, detachStaging, removeStagingSoon, stagingDir, stagingFile } from './import-staging';
import { startReader, warmReader } from './warm-reader';
import type { PhoneRejectReason } from '../../phones';
import { applyImportTags } from './import-tags';
import { openImportRecord, resolveList } from './import-record';
import type { ConsentInput } from '../../../shared/contacts';
import { randomUUID } from 'node:crypto';

/** What the reader needs, the name the user knows the file by, and the list the contacts join. */
export type ImportRequest = ReadRequest & {
  fileName: string;
  list: { id: number } | { name: string };
  existing?: 'update' | 'keep';
  /** What the user said of where the contacts came from and whether they agreed; stored on each contact. */
  consent?: ConsentInput;
  /** Names the import on its contacts' consent before the import has an id (kept through a resume). */
  runKey?: string;
  /** The column (by its title) whose cells are tags, split on commas and semicolons (#35). */
  tagField?: string;
};

export type { ImportCounts };

/** Rows split into tags per transaction. */
export type ImportOutcome = ImportCounts & { importId: number; listId: number; imported: number; updated: number };
export type RejectReason = PhoneRejectReason | 'duplicate';
/** How a run ended short of an outcome: cancelled by the user (nothing kept), or stopped by a close (resumed later). */
export type ImportStop = 'cancelled' | 'stopped';

/** A run as import_runs keeps it between its start and its record. */
export type RunRow = {
  id: number;
  file_name: string;
  request: string;
  phase: 'reading' | 'saving';
  counts: string | null;
  list_id: number | null;
  merge_key: MergeKey | null;
  cursor: string | null;
  merged: number;
  updated: number;
  /** The import's record once written, while its refused rows are still being copied (see `save`). */
  import_id: number | null;
};

/** How a merge waits out a full disk: told of the failure, it resolves once there is room again. */
export type SpaceWaiter = { report(error: unknown): boolean; whenRoom(): Promise<void> };

/** An existing contact's consent when the file says something of it: a "yes" always, a "no" over nothing or "no". */
const CONSENT_UPDATE = `
          consent = CASE WHEN excluded.consent = 'yes' OR contacts.consent IS NULL OR contacts.consent = 'no' THEN COALESCE(excluded.consent, contacts.consent) ELSE contacts.consent END,
          consent_source = CASE WHEN excluded.consent = 'yes' OR contacts.consent IS NULL OR contacts.consent = 'no' THEN COALESCE(excluded.consent_source, contacts.consent_source) ELSE contacts.consent_source END,
          consent_at = CASE WHEN excluded.consent IS NOT NULL AND (excluded.consent = 'yes' OR contacts.consent IS NULL OR contacts.consent = 'no') THEN excluded.consent_at ELSE contacts.consent_at END,
          consent_import = CASE WHEN excluded.consent IS NOT NULL AND (excluded.consent = 'yes' OR contacts.consent IS NULL OR contacts.consent = 'no') THEN excluded.consent_import ELSE contacts.consent_import END`;

const MERGE_BATCH = 2000;
/** Refused rows copied to the import's record per transaction (a few ms each). */
const REJECT_BATCH = 5000;
/** Files with more valid rows than this are staged, and so merged, in phone order (see `save`). */
const SORTED_FROM = 100_000;

/** New runs merge by the staging row id; 'phone' is how runs staged by earlier versions (with a phone index) resume. */
type MergeKey = 'id' | 'phone';
type Merge = { runId: number; listId: number; key: MergeKey; cursor: string | number; merged: number; updated: number; importId: number | null };

/** Below every key of a merge: "" sorts before any phone, 0 before any row id. */
function beforeAll(key: MergeKey): string | number {
  return key === 'phone' ? '' : 0;
}

/**
 * One import, all or nothing across a crash or a close. Rows are read and normalised in a worker thread, which
 * stages them in a file of their own (nothing in the user's data yet: a cancel or a crash then drops the import
 * whole). Then they are merged into contacts in short transactions, each committing the run's cursor with it, so a
 * merge cut short resumes at the next start exactly where it stopped. Then the import's record is written, out of
 * the user's sight until its refused rows are copied to it a few thousand at a time (a stop meanwhile resumes the
 * copy), and the run ends with the last of them.
 */
export class ImportRun {
  private cancelled = false;
  private stopped = false;
  private merging = false;
  counts: ImportCounts = { rowsRead: 0, valid: 0, duplicates: 0, rejected: 0, repairedLines: 0, multiValue: 0 };
  private fraction = 0;
  private stopReader: (() => void) | null = null;
  private onStop: () => void = () => undefined;
  /** Settles when the app asks the run to stop, so waiting for disk space does not hold up a close. */
  private readonly stopSignal = new Promise<void>((resolve) => (this.onStop = resolve));

  constructor(
    private readonly db: Db,
    readonly job: number,
    readonly request: ImportRequest,
    private readonly now: () => number,
    private readonly sortedFrom = SORTED_FROM,
    private readonly space?: SpaceWaiter,
    /** A run found half-saved at start-up, to finish. */
    private readonly resumeFrom?: RunRow,
  ) {}

  /** The runs a crash or a close left behind, oldest first. */
  static pending(db: Db): RunRow[] {
    return db.prepare('SELECT * FROM import_runs ORDER BY id').all() as RunRow[];
  }

  /** A run to finish a half-saved import found at start-up. */
  static resuming(db: Db, job: number, row: RunRow, now: () => number, space?: SpaceWaiter): ImportRun {
    const run = new ImportRun(db, job, JSON.parse(row.request) as ImportRequest, now, SORTED_FROM, space, row);
    if (row.counts) run.counts = JSON.parse(row.counts) as ImportCounts;
    return run;
  }

  get resumed(): boolean {
    return this.resumeFrom !== undefined;
  }

  progress() {
    return { ...this.counts, fraction: this.fraction, phase: this.merging ? ('saving' as const) : ('reading' as const) };
  }

  /** Asks the run to stop; true when it still could (not once merging has begun). */
  cancel(): boolean {
    if (this.merging) return false;
    this.cancelled = true;
    this.stopReader?.();
    return true;
  }

  /** The app is closing: reading stops (the next start drops it), saving stops between batches (the next start resumes it). */
  stop(): void {
    this.stopped = true;
    this.stopReader?.();
    this.onStop();
  }

  async run(onProgress: () => void): Promise<ImportOutcome | ImportStop> {
    if (this.resumeFrom) return this.finishResumed(this.resumeFrom, onProgress);
    this.request.runKey ??= randomUUID();
    const runId = Number(
      this.db
        .prepare("INSERT INTO import_runs (file_name, request, phase, started_at) VALUES (?, ?, 'reading', ?)")
        .run(this.request.fileName, JSON.stringify(this.request), this.now()).lastInsertRowid,
    );
    const file = stagingFile(stagingDir(this.db), runId);
    const drop = async () => {
      await removeStagingSoon(file);
      const forget = () => this.db.prepare('DELETE FROM import_runs WHERE id = ?').run(runId);
      try {
        forget();
      } catch (error) {
        // The disk that failed the import may be too full for this too: the run goes once there is room (or at the
        // next start, which drops runs left while reading), and the import's own failure is what the user hears.
        if (!this.space?.report(error)) throw error;
        void Promise.race([this.space.whenRoom(), this.stopSignal]).then(() => !this.stopped && forget());
      }
    };
    let read: boolean;
    try {
      read = await this.stage(file, onProgress);
    } catch (error) {
      await drop();
      throw error;
    }
    if (!read) {
      // A close leaves the run for the next start to drop and tell the user of; a cancel was the user's own doing.
      if (this.stopped && !this.cancelled) return 'stopped';
      await drop();
      return 'cancelled';
    }
    this.merging = true;
    let merge: Merge | 'stopped';
    try {
      merge = await this.withRoom(this.db.transaction(() => {
        const listId = resolveList(this.db, this.request.list, this.now());
        const key: MergeKey = 'id';
        // (The staging file's rows are already in the order to merge them in: see `save`.)
        const cursor = beforeAll(key);
        this.db
          .prepare("UPDATE import_runs SET phase = 'saving', counts = ?, list_id = ?, merge_key = ?, cursor = ? WHERE id = ?")
          .run(JSON.stringify(this.counts), listId, key, JSON.stringify(cursor), runId);
        return { runId, listId, key, cursor, merged: 0, updated: 0, importId: null } satisfies Merge;
      }));
    } catch (error) {
      await drop();
      throw error;
    }
    // Stopped while waiting for disk space before saving began: nothing is in the user's data; the next start drops it.
    if (merge === 'stopped') return 'stopped';
    onProgress();
    return this.save(file, merge, onProgress);
  }

  /**
   * Runs a write, and on a full disk (rolled back whole) waits for room and runs it again; 'stopped' if the app
   * closes meanwhile. Any other error is thrown.
   */
  private async withRoom<T>(write: () => T): Promise<T | 'stopped'> {
    for (;;) {
      if (this.stopped) return 'stopped';
      try {
        return write();
      } catch (error) {
        if (!this.space?.report(error)) throw error;
        await Promise.race([this.space.whenRoom(), this.stopSignal]);
      }
    }
  }

  private finishResumed(row: RunRow, onProgress: () => void): Promise<ImportOutcome | ImportStop> {
    this.merging = true;
    const key = row.merge_key ?? 'id';
    const merge: Merge = {
      runId: row.id,
      listId: row.list_id ?? resolveList(this.db, this.request.list, this.now()),
      key,
      cursor: row.cursor === null ? beforeAll(key) : (JSON.parse(row.cursor) as string | number),
      merged: row.merged,
      updated: row.updated,
      importId: row.import_id,
    };
    return this.save(stagingFile(stagingDir(this.db), row.id), merge, onProgress);
  }

  /**
   * The reader thread reads, normalises and stages the file; this thread only hears its progress. A cancel or a
   * close terminates it. Resolves true once the staging file is whole and on disk.
   */
  private stage(staging: string, onProgress: () => void): Promise<boolean> {
    if (this.cancelled || this.stopped) return Promise.resolve(false);
    // A thread warmed at the preview if there is one (see WarmReader), else one started now.
    const task: ReaderTask = { request: this.request, staging, sortedFrom: this.sortedFrom };
    const reader = warmReader.take(task) ?? startReader(task);
    return new Promise<boolean>((resolve, reject) => {
      let settled = false;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        this.stopReader = null;
        // The staging file is removed only once the thread (and its handle on the file) is gone.
        void reader.terminate().finally(settle);
      };
      this.stopReader = () => finish(() => resolve(false));
      reader.on('message', (message: ReaderMessage) => {
        if (settled) return;
        if (message.kind === 'ready') return;
        if (message.kind === 'progress') {
          this.counts = message.counts;
          this.fraction = Math.min(0.95, message.fraction * 0.95);
          onProgress();
        } else if (message.kind === 'done') {
          this.counts = message.counts;
          this.fraction = 0.95;
          // Awaited although the staging file is already closed: a thread ending while the merge runs holds this
          // thread for up to ~100 ms as it is joined (measured), against ~50 ms of waiting here.
          finish(() => resolve(true));
        } else {
          finish(() => reject(new AppError(message.code, message.message)));
        }
      });
      reader.on('error', (error) => finish(() => reject(new AppError('file_corrupt', `the file could not be read: ${error.message}`))));
      reader.on('exit', () => finish(() => reject(new AppError('file_corrupt', 'the file reader stopped'))));
    });
  }

  /**
   * Merges the staged rows a batch at a time, each batch committed with the run's cursor. Up to `sortedFrom` rows
   * they go in the file's order, so contacts list as the user's spreadsheet did. A larger file was staged in phone
   * order instead (see StagingWriter.finish): each batch then touches a few neighbouring pages of the phone index
   * rather than thousands scattered through it, about three times faster at a million rows (its new contacts get
   * their ids in phone order), and the batch reads its rows from one stretch of the staging file.
   */
  private async save(staging: string, merge: Merge, onProgress: () => void): Promise<ImportOutcome | ImportStop> {
    attachStaging(this.db, staging);
    // A million rows are hundreds of MB of WAL: checkpointed off the main thread, or each checkpoint stalls the app.
    const checkpoints = new OffThreadCheckpoints(this.db);
    try {
      const now = this.now();
      const { key, listId, runId } = merge;
      // New contacts get ids above the current maximum: counting them is a short range scan, not a join.
      const maxId = this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM contacts').pluck();
      const countAbove = this.db.prepare('SELECT COUNT(*) FROM contacts WHERE id > ?').pluck();
      const total = this.counts.valid;
      const refused = this.counts.rejected + this.counts.duplicates;
      // Saving is the last 5% of the bar: the contacts, then the refused rows copied to the record.
      const saved = (done: number) => (this.fraction = 0.95 + 0.05 * Math.min(1, done / Math.max(1, total + refused)));
      // `end` is the key of a batch's last row.
      const batchEnd = this.db.prepare(`SELECT ${key} FROM staging.rows WHERE ${key} > ? ORDER BY ${key} LIMIT 1 OFFSET ?`).pluck();
      // Consent as the user said it for this file: a "yes" is recorded over anything; a "no" only where nothing
      // better is known (an earlier import's "yes" stands).
      const consent = this.request.consent;
      const agreed = consent ? (consent.agreed ? 'yes' : 'no') : null;
      const consentParams = { consent: agreed, consentSource: consent?.source ?? null, consentImport: this.request.runKey ?? null };
      const upsert = this.db.prepare(`
        INSERT INTO contacts (phone, name, name_key, fields, created_at, updated_at, consent, consent_source, consent_at, consent_import)
        SELECT phone, name, name_key, fields, @now, @now, @consent, @consentSource, CASE WHEN @consent IS NULL THEN NULL ELSE @now END, @consentImport
        FROM staging.rows WHERE ${key} > @last AND ${key} <= @end ORDER BY ${key}
        ON CONFLICT (phone) DO ${
          this.request.existing === 'keep'
            ? 'NOTHING' // the user asked to leave contacts they already have as they are
            : `UPDATE SET
          name = COALESCE(excluded.name, contacts.name),
          name_key = CASE WHEN excluded.name IS NULL THEN contacts.name_key ELSE excluded.name_key END,
          fields = json_patch(contacts.fields, excluded.fields),
          updated_at = excluded.updated_at,
          ${CONSENT_UPDATE}`
        }`);
      const joinNew = this.db.prepare('INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at) SELECT @list, id, @now FROM contacts WHERE id > @before');
      const joinByPhone = this.db.prepare(`
        INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at)
        SELECT @list, c.id, @now FROM staging.rows s JOIN contacts c ON c.phone = s.phone
        WHERE s.${key} > @last AND s.${key} <= @end`);
      const keep = this.db.prepare('UPDATE import_runs SET cursor = ?, merged = ?, updated = ? WHERE id = ?');
      // Above every key: "~" after any "+…" phone.
      const afterAll = key === 'phone' ? '~' : Number.MAX_SAFE_INTEGER;
      const batch = this.db.transaction((last: string | number, end: string | number) => {
        const before = maxId.get() as number;
        upsert.run({ last, end, now, ...consentParams });
        const size = Math.min(MERGE_BATCH, total - merge.merged);
        const inserted = countAbove.get(before) as number;
        // New contacts join the list by their id range; only a batch that updated existing ones needs the lookup.
        joinNew.run({ list: listId, now, before });
        if (inserted < size) joinByPhone.run({ last, end, now, list: listId });
        keep.run(JSON.stringify(end), merge.merged + size, merge.updated + size - inserted, runId);
        return { size, inserted };
      });
      while (merge.merged < total) {
        if (this.stopped) return 'stopped';
        const end = (batchEnd.get(merge.cursor, MERGE_BATCH - 1) as string | number | undefined) ?? afterAll;
        // A full disk rolls the batch back whole: the same batch again once there is room.
        const done = await this.withRoom(() => batch(merge.cursor, end));
        if (done === 'stopped') return 'stopped';
        checkpoints.tick();
        merge.merged += done.size;
        merge.updated += done.size - done.inserted;
        merge.cursor = end;
        saved(merge.merged);
        onProgress();
        await yieldToLoop();
      }
      // Before the record: a run cut short here tags again from the start (a tag already on is left as it is).
      const tagged = await applyImportTags({ db: this.db, field: this.request.tagField, key, now, stopped: () => this.stopped, withRoom: (write) => this.withRoom(write) });
      if (tagged === 'stopped') return 'stopped';
      const importId = merge.importId ?? (await this.withRoom(this.db.transaction(() => openImportRecord(this.db, this.request, this.counts, merge, now))));
      if (importId === 'stopped') return 'stopped';
      const copied = await this.copyRejects(importId, (done) => {
        saved(total + done);
        onProgress();
      }, checkpoints);
      if (copied === 'stopped') return 'stopped';
      const closed = await this.withRoom(this.db.transaction(() => this.closeRecord(merge, importId, now)));
      if (closed === 'stopped') return 'stopped';
      this.fraction = 1;
      return { ...this.counts, importId, listId, imported: this.counts.valid - merge.updated, updated: merge.updated };
    } finally {
      checkpoints.done();
      detachStaging(this.db);
      // Until its record is written the run stays resumable, its staging file with it (a close, a failed batch).
      if (this.fraction === 1) await removeStagingSoon(staging);
    }
  }

  /**
   * Copies the refused rows to the import's record, kept so the user can download them later: REJECT_BATCH rows a
   * transaction, after the last one copied (a resumed run goes on from there). Resolves with how many are copied.
   */
  private async copyRejects(importId: number, onCopied: (copied: number) => void, checkpoints: OffThreadCheckpoints): Promise<number | 'stopped'> {
    const sofar = this.db.prepare('SELECT COALESCE(MAX(row_number), 0) AS last, COUNT(*) AS copied FROM import_rejects WHERE import_id = ?');
    const stepEnd = this.db.prepare('SELECT row_number FROM staging.bad WHERE row_number > ? ORDER BY row_number LIMIT 1 OFFSET ?').pluck();
    const copy = this.db.prepare(
      `INSERT INTO import_rejects (import_id, row_number, reason, duplicate_of, cells)
       SELECT @importId, row_number, reason, duplicate_of, cells FROM staging.bad WHERE row_number > @last AND row_number <= @end ORDER BY row_number`,
    );
    let { last, copied } = sofar.get(importId) as { last: number; copied: number };
    for (;;) {
      if (this.stopped) return 'stopped';
      const end = (stepEnd.get(last, REJECT_BATCH - 1) as number | undefined) ?? Number.MAX_SAFE_INTEGER;
      const done = await this.withRoom(() => copy.run({ importId, last, end }).changes);
      if (done === 'stopped') return 'stopped';
      checkpoints.tick();
      copied += done;
      last = end;
      onCopied(copied);
      if (end === Number.MAX_SAFE_INTEGER) return copied;
      await yieldToLoop();
    }
  }

  /** The run is done: its record comes into sight (and, for a resumed one, the user is told). */
  private closeRecord(merge: Merge, importId: number, now: number): void {
    this.db.prepare('DELETE FROM import_runs WHERE id = ?').run(merge.runId);
    if (this.resumed) {
      this.db.prepare("INSERT INTO import_notices (kind, file_name, import_id, created_at) VALUES ('resumed', ?, ?, ?)").run(this.request.fileName, importId, now);
    }
  }
}
