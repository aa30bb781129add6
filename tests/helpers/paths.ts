import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Test data we read and never edit: the handout's, carried in the repo so a plain clone runs its tests. */
export const TESTDATA = path.resolve(REPO_ROOT, 'tests', 'fixtures', 'testdata');
