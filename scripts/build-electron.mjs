// Bundles the Electron main process and preload into dist-electron/ (CommonJS, as a sandboxed preload needs).
// Packages stay external: better-sqlite3 is native and whatsapp-web.js sends its function source into the page.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { newest } from './newest-file.mjs';

export async function buildElectron(outDir = path.resolve(import.meta.dirname, '..', 'dist-electron')) {
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
  // Worker threads run bundled entries beside main.cjs (see electron/core/worker.ts).
  // `import.meta` appears only on that module's from-source path, never taken in the bundle.
  const bundled = { define: { WHATZME_BUNDLED: 'true' }, packages: 'external', logOverride: { 'empty-import-meta': 'silent' } };
  await build({ ...common, ...bundled, entryPoints: ['electron/shell/main.ts'], outfile: path.join(outDir, 'main.cjs') });
  await build({ ...common, ...bundled, entryPoints: ['electron/contacts/import/import-reader.worker.ts'], outfile: path.join(outDir, 'import-reader.cjs') });
  await build({ ...common, ...bundled, entryPoints: ['electron/contacts/import/import-stager.worker.ts'], outfile: path.join(outDir, 'import-stager.cjs') });
  await build({ ...common, ...bundled, entryPoints: ['electron/db/checkpoint.worker.ts'], outfile: path.join(outDir, 'checkpoint.cjs') });
  await build({ ...common, ...bundled, entryPoints: ['electron/contacts/contacts-query.worker.ts'], outfile: path.join(outDir, 'contacts-query.cjs') });
  // A sandboxed preload may require only `electron`: everything else is bundled in.
  await build({ ...common, entryPoints: ['electron/shell/preload.ts'], outfile: path.join(outDir, 'preload.cjs'), external: ['electron'] });
  return outDir;
}

const root = path.resolve(import.meta.dirname, '..');
export const WEB_ENTRY = path.join(root, 'dist-web', 'web.mjs');

/**
 * Bundles web mode (`npm run web`) into dist-web/: the server as one ES module (so a start compiles nothing), its
 * worker threads beside it as the desktop app's are, and the WhatsApp Web double's page script, read from disk.
 */
export async function buildWeb(outDir = path.dirname(WEB_ENTRY)) {
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', packages: 'external' };
  const workers = { ...common, format: 'cjs', define: { WHATZME_BUNDLED: 'true' }, logOverride: { 'empty-import-meta': 'silent' } };
  await build({ ...common, format: 'esm', define: { WHATZME_WEB_BUNDLE: 'true' }, entryPoints: ['electron/app/web-mode.ts'], outfile: path.join(outDir, 'web.mjs') });
  await build({ ...workers, entryPoints: ['electron/contacts/import/import-reader.worker.ts'], outfile: path.join(outDir, 'import-reader.cjs') });
  await build({ ...workers, entryPoints: ['electron/contacts/import/import-stager.worker.ts'], outfile: path.join(outDir, 'import-stager.cjs') });
  await build({ ...workers, entryPoints: ['electron/db/checkpoint.worker.ts'], outfile: path.join(outDir, 'checkpoint.cjs') });
  await build({ ...workers, entryPoints: ['electron/contacts/contacts-query.worker.ts'], outfile: path.join(outDir, 'contacts-query.cjs') });
  fs.mkdirSync(path.join(outDir, 'page'), { recursive: true });
  fs.copyFileSync(path.join(root, 'electron', 'whatsapp', 'wweb-double', 'page', 'double-page.js'), path.join(outDir, 'page', 'double-page.js'));
  return path.join(outDir, 'web.mjs');
}


/** The web bundle, built when missing or older than its sources (as the renderer is). */
export async function ensureWebBuild() {
  const sources = Math.max(newest(path.join(root, 'electron')), newest(path.join(root, 'shared')), fs.statSync(path.join(root, 'package.json')).mtimeMs);
  if (!fs.existsSync(WEB_ENTRY) || fs.statSync(WEB_ENTRY).mtimeMs < sources) await buildWeb();
  return WEB_ENTRY;
}

if (import.meta.url === `file://${process.argv[1]}`) await (process.argv[2] === 'web' ? buildWeb() : buildElectron());
