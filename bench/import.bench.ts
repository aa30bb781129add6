import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { ImportRun, previewFile } from '../electron/contacts';
import { runWorkersFrom } from '../electron/core/worker';
import { openDatabase } from '../electron/db';
import { REPO_ROOT } from '../tests/helpers/paths';
import { report } from './report';

const TESTDATA = path.resolve(import.meta.dirname, '..', '..', 'shared', 'testdata', 'contacts');
const FORMATS = [(n: string) => `${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`, (n: string) => `+52 1 ${n}`, (n: string) => `(${n.slice(0, 2)}) ${n.slice(2, 6)}-${n.slice(6)}`, (n: string) => `52${n}`];
const AREAS = ['55', '33', '81', '99', '22', '44'];
const CITIES = ['CDMX', 'Guadalajara', 'Monterrey', 'Mérida', 'Puebla', 'León'];

function phoneFor(i: number): string {
  return `${AREAS[i % AREAS.length]}${String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(8, '0')}`;
}

/** A CSV of `rows` distinct contacts in the mixed formats real exports have. */
export function writeCsv(file: string, rows: number): void {
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, 'Nombre,Teléfono,Ciudad,Puntos\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `Cliente ${i} Núñez,${FORMATS[i % FORMATS.length]?.(phoneFor(i))},${CITIES[i % CITIES.length]},${i % 1000}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

async function writeXlsx(file: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Clientes');
  sheet.addRow(['Nombre', 'Celular', 'Ciudad', 'Alta']).commit();
  for (let i = 0; i < rows; i++) {
    // Half the phones as numbers (as Excel stores them), half as text.
    const phone = i % 2 === 0 ? Number(phoneFor(i)) : FORMATS[i % FORMATS.length]?.(phoneFor(i));
    sheet.addRow([`Cliente ${i}`, phone, CITIES[i % CITIES.length], new Date(Date.UTC(2024, i % 12, 1 + (i % 28)))]).commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** Imports one file end to end (read, normalise, store) into a fresh database; time, longest loop pause, new contacts. */
async function importOnce(file: string): Promise<{ ms: number; loopMs: number; rowsRead: number; imported: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-import-'));
  try {
    const db = openDatabase(path.join(dir, 'whatzme.db'));
    const preview = await previewFile(file);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    const run = new ImportRun(
      db,
      1,
      {
        file,
        fileName: path.basename(file),
        sheet: preview.sheet,
        headerRow: preview.headerRow,
        headers: preview.headers,
        phoneColumn: preview.suggested.phoneColumn ?? 1,
        nameColumn: preview.suggested.nameColumn,
        fieldColumns: preview.headers.map((_, i) => i).filter((i) => i !== preview.suggested.phoneColumn && i !== preview.suggested.nameColumn),
        defaultCountry: 'MX',
        list: { name: 'bench' },
      },
      Date.now,
    );
    const outcome = await run.run(() => undefined);
    const ms = performance.now() - started;
    loop.disable();
    db.close();
    if (typeof outcome === 'string') throw new Error(outcome);
    return { ms, loopMs: loop.max / 1e6, rowsRead: outcome.rowsRead, imported: outcome.imported };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor: SQLite's own CLI importing the same CSV into a table in one run (no normalising, no dedupe, no list),
 * where the CLI is installed (`apt-get install sqlite3`); null elsewhere.
 */
function sqliteFloor(file: string): number | null {
  if (spawnSync('sqlite3', ['-version']).status !== 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-floor-'));
  try {
    const started = performance.now();
    const run = spawnSync('sqlite3', [path.join(dir, 'floor.db'), '.mode csv', `.import ${file} contacts`]);
    if (run.status !== 0) throw new Error(`sqlite3 .import failed: ${run.stderr.toString()}`);
    return performance.now() - started;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Three imports (and three floors for a CSV), medians printed with the ratio, the longest loop pause and peak RSS. */
async function measure(label: string, file: string, target: { ms?: number; floorRatio?: number }): Promise<void> {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await importOnce(file));
  const ms = median(runs.map((r) => r.ms));
  report(`import: ${label}`, ms, 'ms (median of 3)', target.ms ? `≤ ${target.ms.toLocaleString('en')} ms` : undefined);
  if (file.endsWith('.csv')) {
    const floors = [sqliteFloor(file), sqliteFloor(file), sqliteFloor(file)];
    if (floors.every((f): f is number => f !== null)) {
      const floor = median(floors);
      report(`import: ${label} — sqlite3 .import of the same file`, floor, 'ms (median of 3)');
      report(`import: ${label} — ratio to sqlite3 .import`, ms / floor, '×', target.floorRatio ? `≤ ${target.floorRatio}× (aim 3×)` : undefined);
    } else {
      process.stdout.write(`import: ${label} — no sqlite3 CLI here: floor not measured\n`);
    }
  }
  report(`import: ${label} — rows read / contacts stored`, runs[0]?.rowsRead ?? 0, `rows / ${(runs[0]?.imported ?? 0).toLocaleString('en')} contacts`);
  report(`import: ${label} — longest event-loop pause`, Math.max(...runs.map((r) => r.loopMs)), 'ms', '≤ 50 ms');
  report(`import: ${label} — peak RSS`, process.resourceUsage().maxRSS / 1024, 'MB', label.includes('1,000,000') ? '< 300 MB' : undefined);
}

/**
 * Each case runs in its own process (see run.ts) so its peak RSS is its own. The reader thread runs as the app
 * ships it (bundled by scripts/build-electron.mjs), not compiled from source by tsx at each start.
 */
export async function benchImport(which: string): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-files-'));
  const bundle = fs.mkdtempSync(path.join(REPO_ROOT, '.test-bundle-bench-'));
  try {
    const { buildElectron } = (await import(path.join(REPO_ROOT, 'scripts/build-electron.mjs'))) as { buildElectron(dir: string): Promise<string> };
    await buildElectron(bundle);
    runWorkersFrom(bundle);
    if (which === '100k') {
      // The handout's sample has many duplicates and refused rows; the generated file is 100,000 distinct contacts.
      await measure('grande_100k.csv (100,000 rows)', path.join(TESTDATA, 'grande_100k.csv'), { floorRatio: 5 });
      const file = path.join(work, 'cien_mil.csv');
      writeCsv(file, 100_000);
      await measure('generated CSV (100,000 rows)', file, { floorRatio: 5 });
    }
    if (which === '1m') {
      const file = path.join(work, 'million.csv');
      writeCsv(file, 1_000_000);
      await measure('generated CSV (1,000,000 rows)', file, { ms: 7000 });
    }
    if (which === 'xlsx') {
      const file = path.join(work, 'cien_mil.xlsx');
      await writeXlsx(file, 100_000);
      await measure('generated XLSX (100,000 rows)', file, { ms: 2500 });
    }
  } finally {
    runWorkersFrom(null);
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(bundle, { recursive: true, force: true });
  }
}
