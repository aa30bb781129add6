// Bundles the Electron main process and preload into dist-electron/ (CommonJS, as a sandboxed preload needs).
// Packages stay external: better-sqlite3 is native and whatsapp-web.js sends its function source into the page.
import { build } from 'esbuild';
import path from 'node:path';

export async function buildElectron(outDir = path.resolve(import.meta.dirname, '..', 'dist-electron')) {
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
  // Worker threads run bundled entries beside main.cjs (see electron/core/worker.ts).
  // `import.meta` appears only on that module's from-source path, never taken in the bundle.
  const bundled = { define: { WHATZME_BUNDLED: 'true' }, packages: 'external', logOverride: { 'empty-import-meta': 'silent' } };
  await build({ ...common, ...bundled, entryPoints: ['electron/main.ts'], outfile: path.join(outDir, 'main.cjs') });
  await build({ ...common, ...bundled, entryPoints: ['electron/contacts/import-reader.worker.ts'], outfile: path.join(outDir, 'import-reader.cjs') });
  await build({ ...common, ...bundled, entryPoints: ['electron/contacts/import-stager.worker.ts'], outfile: path.join(outDir, 'import-stager.cjs') });
  await build({ ...common, ...bundled, entryPoints: ['electron/db/checkpoint.worker.ts'], outfile: path.join(outDir, 'checkpoint.cjs') });
  // A sandboxed preload may require only `electron`: everything else is bundled in.
  await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: path.join(outDir, 'preload.cjs'), external: ['electron'] });
  return outDir;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildElectron();
