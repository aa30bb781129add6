// `npm start`: runs the built app in Electron. The install skips Electron's binary (see package.json
// allowScripts), so it is fetched here on first use, where the network allows.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');
if (!fs.existsSync(path.join(electronDir, 'path.txt'))) {
  const download = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit', cwd: electronDir });
  if (download.status !== 0) {
    process.stderr.write('No se pudo descargar Electron / Could not download Electron. Use `npm run web` instead.\n');
    process.exit(1);
  }
}
const electronBinary = createRequire(import.meta.url)('electron');
const child = spawn(electronBinary, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
