import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The handout beside the repo: test data we read and never edit. */
export const TESTDATA = path.resolve(REPO_ROOT, '..', 'shared', 'testdata');
