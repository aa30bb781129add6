import type Database from 'better-sqlite3';

/** Statements kept at most per database: the bound is for SQL built with values in it. */
const KEEP = 500;
const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The statement prepared before for the same text, for queries that run for every send (the brakes, the health
 * checks, the month's count): preparing them again each time was 6 % of a send (#34). Use it at once, never keep
 * it — it comes back in the default mode (`pluck`, `raw`, `expand` off), so whoever asks next may change that. One
 * still running an `iterate()` is not shared.
 */
export function statement(db: Database.Database, source: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(source);
  if (hit && !hit.busy) {
    if (hit.reader) hit.pluck(false).expand(false).raw(false);
    return hit;
  }
  const fresh = db.prepare(source);
  if (hit) return fresh;
  if (cache.size >= KEEP) cache.delete(cache.keys().next().value as string);
  cache.set(source, fresh);
  return fresh;
}
