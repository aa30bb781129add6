import { benchDb } from './db.bench';

/** `npm run bench`: prints the figures of every benchmark. */
const benches: [string, () => Promise<void>][] = [['db', benchDb]];
const only = process.argv[2];
for (const [name, run] of benches) {
  if (only && only !== name) continue;
  await run();
}
