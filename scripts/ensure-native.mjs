// better-sqlite3 is compiled for one runtime at a time: `npm start` rebuilds it for Electron, while tests and
// web mode need it for Node. This puts the Node build back when it is missing.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  const Database = require('better-sqlite3');
  new Database(':memory:').close();
} catch (error) {
  if (!/NODE_MODULE_VERSION|was compiled against|Could not locate the bindings/.test(String(error))) throw error;
  process.stdout.write('Rebuilding better-sqlite3 for Node…\n');
  execSync('npm rebuild better-sqlite3', { stdio: 'inherit' });
}
