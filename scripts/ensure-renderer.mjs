// `npm run web` needs the built UI: build it when it is missing or older than its sources.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'renderer', 'index.html');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

const stale =
  !fs.existsSync(built) ||
  fs.statSync(built).mtimeMs < Math.max(newest(path.join(root, 'renderer')), newest(path.join(root, 'shared')));
if (stale) execSync('npx vite build', { cwd: root, stdio: 'inherit' });
