import path from 'node:path';
import { REPO_ROOT } from './paths';

/** What `npm run web` runs: the web bundle (built by the tests' global setup, as `npm run web` builds it). */
export const WEB_ENTRY = path.join(REPO_ROOT, 'dist-web', 'web.mjs');

/** Vitest's global setup (both projects): the web bundle made fresh once, before any test starts it. */
export default async function setup(): Promise<void> {
  const { ensureWebBuild } = (await import(path.join(REPO_ROOT, 'scripts', 'build-electron.mjs'))) as { ensureWebBuild: () => Promise<string> };
  await ensureWebBuild();
}
