import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Test data we read and never edit: the handout's, carried in the repo so a plain clone runs its tests. */
export const TESTDATA = path.resolve(REPO_ROOT, 'tests', 'fixtures', 'testdata');
/** Debian's Chromium (`.ci/run` installs it); another one with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
