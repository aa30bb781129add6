// `npm run web`: the app from its build, in this one process — better-sqlite3 for Node, the UI and the server
// bundle each made first when missing or older than their sources; nothing is compiled at each start.
import { pathToFileURL } from 'node:url';

await import('./ensure-native.mjs');
await import('./ensure-renderer.mjs');
const { ensureWebBuild } = await import('./build-electron.mjs');
await import(pathToFileURL(await ensureWebBuild()).href);
