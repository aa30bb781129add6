import { spawnSync } from 'node:child_process';
import { benchContacts } from './contacts.bench';
import { benchCrashSoak } from './crash-soak.bench';
import { benchDb } from './db.bench';
import { benchEngine } from './engine.bench';
import { benchImport } from './import.bench';
import { benchInbox } from './inbox.bench';
import { benchWeb } from './web.bench';
import { benchSegments } from './segments.bench';

/**
 * `npm run bench`: prints the figures of every benchmark, each case in its own process so the peak memory
 * printed is that case's alone. `npm run bench -- <case>` runs one. The crash soak (1,000 SIGKILLs, about half an
 * hour) runs only when named: `npm run bench -- crash-soak`.
 */
const cases: Record<string, () => Promise<void>> = {
  db: benchDb,
  'import:100k': () => benchImport('100k'),
  'import:1m': () => benchImport('1m'),
  'import:xlsx': () => benchImport('xlsx'),
  'contacts:1m': benchContacts,
  'segments:1m': benchSegments,
  engine: benchEngine,
  inbox: benchInbox,
  web: benchWeb,
  'crash-soak': () => benchCrashSoak(1000),
};
const byDefault = Object.keys(cases).filter((name) => name !== 'crash-soak');

const only = process.argv[2];
if (only) {
  const run = cases[only];
  if (!run) throw new Error(`unknown bench ${only}; one of ${Object.keys(cases).join(', ')}`);
  await run();
} else {
  for (const name of byDefault) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, name], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = 1;
  }
  process.stdout.write('(crash soak with 1,000 kills: npm run bench -- crash-soak)\n');
}
