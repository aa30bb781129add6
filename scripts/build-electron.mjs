// Bundles the Electron main process and preload into dist-electron/ (CommonJS, as a sandboxed preload needs).
// Packages stay external: better-sqlite3 is native and whatsapp-web.js sends its function source into the page.
import { build } from 'esbuild';
import path from 'node:path';

export async function buildElectron(outDir = path.resolve(import.meta.dirname, '..', 'dist-electron')) {
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
  await build({ ...common, entryPoints: ['electron/main.ts'], outfile: path.join(outDir, 'main.cjs'), packages: 'external' });
  // A sandboxed preload may require only `electron`: everything else is bundled in.
  await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: path.join(outDir, 'preload.cjs'), external: ['electron'] });
  return outDir;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildElectron();
