import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { ImportRun, previewFile } from '../electron/contacts';
import { openDatabase } from '../electron/db';
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

/** Imports one file end to end (read, normalise, store) into a fresh database; prints time, loop delay and RSS. */
async function importOnce(label: string, file: string, target: string): Promise<void> {
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
    if (typeof outcome === 'string') throw new Error(outcome);
    report(`import: ${label}`, ms, 'ms', target);
    report(`import: ${label} — rows read / contacts stored`, outcome.rowsRead, `rows / ${outcome.imported.toLocaleString('en')} contacts`);
    report(`import: ${label} — longest event-loop pause`, loop.max / 1e6, 'ms', '~100 ms');
    report(`import: ${label} — peak RSS`, process.resourceUsage().maxRSS / 1024, 'MB', label.includes('1,000,000') ? '< 400 MB' : undefined);
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Each case runs in its own process (see run.ts) so its peak RSS is its own. */
export async function benchImport(which: string): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-files-'));
  try {
    if (which === '100k') await importOnce('grande_100k.csv (100,000 rows)', path.join(TESTDATA, 'grande_100k.csv'), '< 1,500 ms');
    if (which === '1m') {
      const file = path.join(work, 'million.csv');
      writeCsv(file, 1_000_000);
      await importOnce('generated CSV (1,000,000 rows)', file, '< 10,000 ms');
    }
    if (which === 'xlsx') {
      const file = path.join(work, 'cien_mil.xlsx');
      await writeXlsx(file, 100_000);
      await importOnce('generated XLSX (100,000 rows)', file, '< 6,000 ms');
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
