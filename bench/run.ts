import { spawnSync } from 'node:child_process';
import { benchDb } from './db.bench';
import { benchImport } from './import.bench';

/**
 * `npm run bench`: prints the figures of every benchmark. Import cases each run in a child process, so the
 * peak memory printed is that case's alone. `npm run bench -- import:1m` runs one case.
 */
const cases: Record<string, () => Promise<void>> = {
  db: benchDb,
  'import:100k': () => benchImport('100k'),
  'import:1m': () => benchImport('1m'),
  'import:xlsx': () => benchImport('xlsx'),
};

const only = process.argv[2];
if (only) {
  const run = cases[only];
  if (!run) throw new Error(`unknown bench ${only}; one of ${Object.keys(cases).join(', ')}`);
  await run();
} else {
  for (const name of Object.keys(cases)) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, name], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = 1;
  }
}
