import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ImportRun, previewFile, warmReader, warmUpRequest } from '../electron/contacts';
import { stagingDir, warmStagingFile } from '../electron/contacts/import/staging-files';
import { openDatabase } from '../electron/db';

/** What one import in its own process measured (printed as JSON on its last line). */
/** `warmMs`: the preview's warm-up, waited out (or 0 at once); `ms`: the import from the click. */
export type OnceResult = { ms: number; warmMs: number; loopMs: number; rowsRead: number; imported: number; baseMb: number; peakMb: number };

/**
 * One import end to end (read, normalise, store) into a fresh database, in a process of its own bundled as the
 * app ships (see import.bench.ts): its peak RSS is the import's alone, not the bench's or an earlier run's.
 * `node import-once.cjs <file> [--read-at-import] [--at-once]`.
 */
async function main(file: string, readAtImport: boolean, atOnce: boolean): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-import-'));
  try {
    const db = openDatabase(path.join(dir, 'whatzme.db'));
    const preview = await previewFile(file);
    // As the app does at the preview (ImportJobs.preview); the user's seconds on the mapping are waited out here.
    // `--read-at-import`: as if the user changed the mapping, so the import reads the file itself (the warm-up
    // staging nothing, as it then would not be taken).
    const request = warmUpRequest(file, preview);
    const clicked = performance.now();
    warmReader.warm(request, readAtImport ? undefined : warmStagingFile(stagingDir(db)));
    // `--at-once`: Importar clicked right after the preview, the warm-up still under way (#34 item 4).
    if (!atOnce) await warmReader.whenReady();
    const warmMs = performance.now() - clicked;
    const baseMb = process.memoryUsage().rss / 1048576;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    // The wizard's suggested mapping, as the warm-up read it.
    const run = new ImportRun(db, 1, { ...request, fileName: path.basename(file), list: { name: 'bench' } }, Date.now);
    const outcome = await run.run(() => undefined);
    const ms = performance.now() - started;
    // The monitor sees a pause only when its next timer fires: a last step that held the loop would go unseen.
    await new Promise((resolve) => setTimeout(resolve, 20));
    loop.disable();
    db.close();
    if (typeof outcome === 'string') throw new Error(outcome);
    const result: OnceResult = { ms, warmMs, loopMs: loop.max / 1e6, rowsRead: outcome.rowsRead, imported: outcome.imported, baseMb, peakMb: process.resourceUsage().maxRSS / 1024 };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const file = process.argv[2];
if (!file) throw new Error('usage: import-once <file> [--read-at-import]');
main(file, process.argv.includes('--read-at-import'), process.argv.includes('--at-once')).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
