import m0001 from './0001_settings';

export type Migration = { version: number; name: string; sql: string };

/** Numbered migrations, applied in order; a new one is appended, never edited once released. */
export const migrations: readonly Migration[] = [{ version: 1, name: 'settings', sql: m0001 }];
