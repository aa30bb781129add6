import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../electron/core/random';
import { runScript } from '../../helpers/child';
import { tempDir } from '../../helpers/temp-dir';

const CHILD = path.join(import.meta.dirname, 'import-crash-child.ts');
/** Above the size merged in phone order (100k), so the kills land in that path's batches too. */
const ROWS = Number(process.env.IMPORT_CRASH_ROWS ?? 120_000);
const LIVES = Number(process.env.IMPORT_CRASH_LIVES ?? 4);

/** The big file: distinct phones in mixed formats, with refused rows and duplicates among them. */
function bigCsv(dir: string): string {
  const lines = ['Nombre,Teléfono,Ciudad,Puntos'];
  for (let i = 0; i < ROWS; i++) {
    const n = String(20_000_000 + i * 7);
    const phone = i % 97 === 5 ? '12' : i % 89 === 3 ? `55${String(20_000_000 + (i - 1) * 7)}` : i % 2 ? `55 ${n.slice(0, 4)} ${n.slice(4)}` : `+52 1 55${n}`;
    lines.push(`Cliente ${i},${phone},Ciudad ${i % 13},${i % 1000}`);
  }
  const file = path.join(dir, 'grande.csv');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/** The base list: some of the big file's phones already there, with other names and fields. */
function baseCsv(dir: string): string {
  const lines = ['Nombre,Teléfono,Ciudad,Nivel'];
  for (let i = 0; i < 3000; i += 3) lines.push(`Antes ${i},55${String(20_000_000 + i * 7)},Pueblo,Oro`);
  const file = path.join(dir, 'base.csv');
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/** Everything an import can touch, as digests: contacts, memberships, records, refused rows, fields, leftovers. */
function snapshot(appDir: string) {
  const db = new Database(path.join(appDir, 'whatzme.db'), { readonly: true });
  try {
    const digest = (sql: string) => crypto.createHash('sha256').update(JSON.stringify(db.prepare(sql).raw().all())).digest('hex').slice(0, 16);
    return {
      contacts: digest('SELECT phone, name, name_key, fields FROM contacts ORDER BY phone'),
      members: digest('SELECT l.name, c.phone FROM list_members m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id ORDER BY l.name, c.phone'),
      imports: db.prepare('SELECT file_name, total_rows, imported, updated, duplicates, rejected FROM imports ORDER BY id').all(),
      rejects: digest('SELECT i.file_name, r.row_number, r.reason, r.duplicate_of, r.cells FROM import_rejects r JOIN imports i ON i.id = r.import_id ORDER BY i.file_name, r.row_number'),
      fields: db.prepare('SELECT name FROM contact_fields ORDER BY name').pluck().all(),
      lists: db.prepare('SELECT name FROM lists ORDER BY name').pluck().all(),
      runs: db.prepare('SELECT COUNT(*) FROM import_runs').pluck().get(),
      staging: fs.existsSync(path.join(appDir, 'imports')) ? fs.readdirSync(path.join(appDir, 'imports')) : [],
    };
  } finally {
    db.close();
  }
}

async function life(phase: string, appDir: string, file: string, option?: string) {
  const child = runScript(CHILD, [phase, appDir, file, ...(option ? [option] : [])]);
  const code = await child.exited;
  if (code !== 0) throw new Error(`${phase} failed (${code}): ${child.output()}`);
  return child.output();
}

describe('an import stopped at any point is complete or absent after the next start, and the user is told which', () => {
  it(`SIGKILLs the app at random points of a ${ROWS.toLocaleString('en')}-row import, and closes it normally while saving`, async () => {
    const dir = tempDir();
    const big = bigCsv(dir);
    const base = path.join(dir, 'base');
    await life('setup', base, baseCsv(dir));
    const copy = (name: string) => {
      const target = path.join(dir, name);
      fs.cpSync(base, target, { recursive: true });
      return target;
    };
    // What "complete" means: the same import left alone.
    const reference = copy('reference');
    expect(await life('import', reference, big)).toContain('DONE done');
    const complete = snapshot(reference);
    const absent = snapshot(base);
    expect(complete.imports).toHaveLength(2);
    expect(complete.imports[1]).toMatchObject({ file_name: 'Grande.csv', total_rows: ROWS });
    expect(complete.runs).toBe(0);
    expect(complete.staging).toEqual([]);

    const random = seededRandom(Number(process.env.IMPORT_CRASH_SEED ?? 14));
    const outcomes: string[] = [];
    for (let i = 0; i < LIVES; i++) {
      const appDir = copy(`life-${i}`);
      // Half the kills while the file is being read, half while it is being saved.
      const target = i % 2 === 0 ? 'reading' : 'saving';
      const child = runScript(CHILD, ['import', appDir, big]);
      const killAt = random.next();
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          const phases = [...child.output().matchAll(/PHASE (\w+) ([\d.]+)/g)];
          const lastPhase = phases.at(-1);
          const reached = lastPhase && (target === 'reading' ? Number(lastPhase[2]) >= killAt * 0.9 : lastPhase[1] === 'saving' && Number(lastPhase[2]) >= 0.95 + 0.05 * killAt * 0.9);
          if (reached || child.child.exitCode !== null) {
            clearInterval(poll);
            child.child.kill('SIGKILL');
            resolve();
          }
        }, 5);
      });
      await child.exited;
      // The kill follows a progress line; on a loaded machine it can land after the import's record was closed and
      // before "DONE" was printed: the import is then finished, with nothing to resume (the file says which).
      const atKill = snapshot(appDir);
      const recordClosed = atKill.runs === 0 && atKill.imports.length === 2;
      const killedDuring = child.output().includes('DONE') ? 'never (it finished first)' : recordClosed ? 'after its record was closed' : target;
      const notices = JSON.parse(/NOTICES (.*)/.exec(await life('start', appDir, big))?.[1] ?? '[]') as { kind: string; fileName: string }[];
      const after = snapshot(appDir);
      const { staging, runs, ...data } = after;
      expect(staging, `life ${i}: no staging file left`).toEqual([]);
      expect(runs).toBe(0);
      const { staging: _s, runs: _r, ...completeData } = complete;
      const { staging: _s2, runs: _r2, ...absentData } = absent;
      if (notices.some((n) => n.kind === 'discarded')) {
        expect(data, `life ${i} killed while ${killedDuring}: dropped whole`).toEqual(absentData);
        outcomes.push('discarded');
      } else {
        expect(data, `life ${i} killed while ${killedDuring}: complete`).toEqual(completeData);
        outcomes.push(notices.some((n) => n.kind === 'resumed') ? 'resumed' : 'finished');
      }
      if (killedDuring === 'reading') expect(notices.map((n) => [n.kind, n.fileName])).toEqual([['discarded', 'Grande.csv']]);
      if (killedDuring === 'saving') expect(notices.map((n) => [n.kind, n.fileName])).toEqual([['resumed', 'Grande.csv']]);
      if (killedDuring === 'after its record was closed') expect(outcomes.at(-1), `life ${i}: nothing to resume`).toBe('finished');
      fs.rmSync(appDir, { recursive: true, force: true });
    }
    // The seed puts kills in both phases: both ways back are exercised.
    expect(outcomes).toContain('discarded');
    expect(outcomes).toContain('resumed');

    // A normal close while saving: the next start finishes it, and says so.
    const closed = copy('closed');
    expect(await life('import', closed, big, 'close-at-saving')).toContain('CLOSED');
    const closedNotices = /NOTICES (.*)/.exec(await life('start', closed, big))?.[1];
    expect(JSON.parse(closedNotices ?? '[]')).toMatchObject([{ kind: 'resumed', fileName: 'Grande.csv' }]);
    const { staging: _s3, runs: _r3, ...closedData } = snapshot(closed);
    const { staging: _s4, runs: _r4, ...completeData } = complete;
    expect(closedData).toEqual(completeData);
  }, 240_000);
});
