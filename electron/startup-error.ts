import path from 'node:path';
import type { Language } from '../shared/types';
import { AppError } from './core/app-error';
import { mainText } from './i18n';

/** The sentence to show when the app cannot start, in both languages when we cannot read the user's choice. */
export function startupErrorText(error: unknown, dataDir: string, language: Language): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof AppError && error.code === 'migration_failed') return mainText(language, 'startup.migration_failed', { detail });
  if (error instanceof AppError && error.code === 'db_too_new') return mainText(language, 'startup.db_too_new');
  return mainText(language, 'startup.other', { logs: path.join(dataDir, 'logs'), detail });
}
