import { OffThreadCheckpoints, type Db } from '../db';

/** Contacts indexed per step: well under a millisecond of the event loop most steps. */
const STEP = 500;
/** Pages of the index's segments merged per step: merges kept to a few milliseconds each (migration 21). */
const MERGE_PAGES = 64;

/**
 * Keeps the contacts' trigram search index (migration 21) caught up with new contacts in the background: an import
 * of a million rows writes its rows at full speed, and they are indexed afterwards, a small batch per turn of the
 * event loop (a million in about 4.5 s, most steps a millisecond or two), then its segments are merged the same way.
 * Until then search reads the rows above the index's mark from the table itself (see `filterSql`), so a contact is
 * found from the moment it exists.
 */
export class ContactSearchIndexer {
  private running = false;
  private stopped = false;
  private failures = 0;
  /** While a run lasts, the WAL is checkpointed off the main thread (a checkpoint inside a step held it 40–70 ms). */
  private checkpoints: OffThreadCheckpoints | null = null;

  constructor(private readonly db: Db) {}

  /** Contacts may have been added or edited: index and merge what is left, unless that is already under way. */
  poke(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    setImmediate(() => this.step());
  }

  /** The highest contact id the index holds everything up to. */
  upto(): number {
    return this.db.prepare('SELECT upto FROM contact_search_state').pluck().get() as number;
  }

  /** Resolves once everything present has been indexed and merged (tests, benches). */
  async settled(): Promise<void> {
    this.poke();
    while (this.running) await new Promise((resolve) => setImmediate(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.finish();
  }

  private step(): void {
    if (this.stopped) return this.finish();
    // Off-thread checkpoints from the first step of a catch-up: an import just before may have left a large WAL, and
    // the step's commit would checkpoint it on this thread.
    if (!this.checkpoints && (this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM contacts').pluck().get() as number) > this.upto()) {
      this.checkpoints = new OffThreadCheckpoints(this.db);
    }
    let more = false;
    try {
      more = this.db.transaction(() => {
        const indexed = this.indexSome();
        return this.mergeSome() || indexed;
      })();
      this.failures = 0;
    } catch {
      // A full or busy disk: search still finds everything (it reads the rest from the table); tried again a little later.
      this.failures += 1;
      if (this.failures <= 5) {
        setTimeout(() => this.step(), 1000 * this.failures).unref();
        return;
      }
    }
    if (!more) return this.finish();
    this.checkpoints?.tick();
    setImmediate(() => this.step());
  }

  /** Indexes the next STEP contacts above the mark; false when none was left. */
  private indexSome(): boolean {
    const upto = this.upto();
    const last = this.db.prepare('SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?').pluck().get(upto, STEP - 1) as number | undefined;
    const end = last ?? (this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM contacts').pluck().get() as number);
    if (end <= upto) return false;
    this.db.prepare('INSERT INTO contact_search (rowid, name_key, phone) SELECT id, name_key, phone FROM contacts WHERE id > ? AND id <= ?').run(upto, end);
    this.db.prepare('UPDATE contact_search_state SET upto = ?').run(end);
    return true;
  }

  /** Merges a few pages of the index's segments; false when there was nothing to merge (SQLite's documented test). */
  private mergeSome(): boolean {
    const changes = this.db.prepare('SELECT total_changes()').pluck();
    const before = changes.get() as number;
    this.db.prepare("INSERT INTO contact_search (contact_search, rank) VALUES ('merge', ?)").run(MERGE_PAGES);
    return (changes.get() as number) - before >= 2;
  }

  private finish(): void {
    this.running = false;
    this.checkpoints?.done();
    this.checkpoints = null;
  }
}
