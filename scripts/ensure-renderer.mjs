// `npm run web` needs the built UI: build it when it is missing or older than its sources.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { newest } from './newest-file.mjs';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'renderer', 'index.html');

const stale =
  !fs.existsSync(built) ||
  fs.statSync(built).mtimeMs < Math.max(newest(path.join(root, 'renderer')), newest(path.join(root, 'shared')));
if (stale) execSync('npx vite build', { cwd: root, stdio: 'inherit' });
