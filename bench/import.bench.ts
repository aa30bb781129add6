import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { build } from 'esbuild';
import type { OnceResult } from './import-once';
import { REPO_ROOT } from '../tests/helpers/paths';
import { machineReference } from './machine-reference';
import { median, report } from './report';

/** The import's process is bundled as the app's main process is (scripts/build-electron.mjs): workers beside it. */
const BUNDLE_OPTIONS = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', define: { WHATZME_BUNDLED: 'true' }, logLevel: 'warning', logOverride: { 'empty-import-meta': 'silent' } } as const;

const TESTDATA = path.resolve(import.meta.dirname, '..', 'tests', 'fixtures', 'testdata', 'contacts');
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

/** One import in a fresh process (bench/import-once.ts, bundled beside the app's workers): its time, pause and memory. */
function importOnce(bundle: string, file: string, readAtImport: boolean, atOnce = false): OnceResult {
  const child = spawnSync(process.execPath, [path.join(bundle, 'import-once.cjs'), file, ...(readAtImport ? ['--read-at-import'] : []), ...(atOnce ? ['--at-once'] : [])], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`import-once failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as OnceResult;
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


/**
 * Three imports (and three floors for a CSV), medians printed with the ratio, the longest loop pause and peak RSS.
 * As the wizard runs them: previewed, then imported with the suggested mapping — for a file of up to 100,000 rows
 * the preview's warm-up has read and staged it, and the import only saves it. With `alsoReadAtImport`, three more
 * as if the user had changed the mapping (the import reads the file itself), printed beside them.
 */
function measure(bundle: string, label: string, file: string, target: { ms?: number; floorRatio?: number }, alsoReadAtImport = false): void {
  const runs: OnceResult[] = [];
  for (let i = 0; i < 3; i++) runs.push(importOnce(bundle, file, false));
  const ms = median(runs.map((r) => r.ms));
  report(`import: ${label}`, ms, 'ms (median of 3)', target.ms ? `≤ ${target.ms.toLocaleString('en')} ms` : undefined);
  // Importar clicked at once after the preview (#34 item 4): from the click, against the warm-up plus the import as
  // after a pause — the same work, which at once should take no longer.
  const atOnce = median([0, 1, 2].map(() => importOnce(bundle, file, false, true).ms));
  report(`import: ${label} — clicked at once after the preview`, atOnce, 'ms (median of 3)', `≤ warm-up + import after a pause: ${Math.round(median(runs.map((r) => r.warmMs + r.ms)))} ms`);
  const cold: OnceResult[] = [];
  if (alsoReadAtImport) for (let i = 0; i < 3; i++) cold.push(importOnce(bundle, file, true));
  const coldMs = median(cold.map((r) => r.ms));
  if (alsoReadAtImport) report(`import: ${label} — mapping changed (read at the import)`, coldMs, 'ms (median of 3)');
  if (file.endsWith('.csv')) {
    const floors = [sqliteFloor(file), sqliteFloor(file), sqliteFloor(file)];
    if (floors.every((f): f is number => f !== null)) {
      const floor = median(floors);
      report(`import: ${label} — sqlite3 .import of the same file`, floor, 'ms (median of 3)');
      report(`import: ${label} — ratio to sqlite3 .import`, ms / floor, '×', target.floorRatio ? `≤ ${target.floorRatio}× (aim 3×)` : undefined);
      if (alsoReadAtImport) report(`import: ${label} — mapping changed: ratio to sqlite3 .import`, coldMs / floor, '×');
    } else {
      process.stdout.write(`import: ${label} — no sqlite3 CLI here: floor not measured\n`);
    }
  }
  runs.push(...cold);
  report(`import: ${label} — rows read / contacts stored`, runs[0]?.rowsRead ?? 0, `rows / ${(runs[0]?.imported ?? 0).toLocaleString('en')} contacts`);
  report(`import: ${label} — longest event-loop pause`, Math.max(...runs.map((r) => r.loopMs)), `ms (of ${runs.length})`, '≤ 50 ms');
  report(`import: ${label} — RSS before the import (after the preview)`, median(runs.map((r) => r.baseMb)), `MB (median of ${runs.length})`);
  report(`import: ${label} — peak RSS of the process`, Math.max(...runs.map((r) => r.peakMb)), `MB (highest of ${runs.length})`, label.includes('1,000,000') ? '< 300 MB' : undefined);
}

/**
 * Each import runs in a process of its own, bundled as the app ships (scripts/build-electron.mjs: no tsx compiling
 * at each start), so the peak RSS printed is that import's alone — not the bench's file generation, nor an earlier
 * run's heap.
 */
export async function benchImport(which: string): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-files-'));
  const bundle = fs.mkdtempSync(path.join(REPO_ROOT, '.test-bundle-bench-'));
  try {
    const { buildElectron } = (await import(path.join(REPO_ROOT, 'scripts/build-electron.mjs'))) as { buildElectron(dir: string): Promise<string> };
    await buildElectron(bundle);
    await build({ ...BUNDLE_OPTIONS, entryPoints: [path.join(REPO_ROOT, 'bench/import-once.ts')], outfile: path.join(bundle, 'import-once.cjs') });
    await machineReference();
    if (which === '100k') {
      // The handout's sample has many duplicates and refused rows; the generated file is 100,000 distinct contacts.
      measure(bundle, 'grande_100k.csv (100,000 rows)', path.join(TESTDATA, 'grande_100k.csv'), { floorRatio: 5 }, true);
      const file = path.join(work, 'cien_mil.csv');
      writeCsv(file, 100_000);
      measure(bundle, 'generated CSV (100,000 rows)', file, { floorRatio: 5 }, true);
    }
    if (which === '1m') {
      const file = path.join(work, 'million.csv');
      writeCsv(file, 1_000_000);
      measure(bundle, 'generated CSV (1,000,000 rows)', file, { ms: 7000 });
    }
    if (which === 'xlsx') {
      const file = path.join(work, 'cien_mil.xlsx');
      await writeXlsx(file, 100_000);
      measure(bundle, 'generated XLSX (100,000 rows)', file, { ms: 2500 }, true);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(bundle, { recursive: true, force: true });
  }
}
