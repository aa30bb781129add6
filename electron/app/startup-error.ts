import path from 'node:path';
import type { Language } from '../../shared/types';
import { AppError } from '../core/app-error';
import { mainText } from '../i18n';
import { readHolder } from '../core/data-lock';

/** The sentence to show when the app cannot start, in both languages when we cannot read the user's choice. */
export function startupErrorText(error: unknown, dataDir: string, language: Language): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof AppError && error.code === 'migration_failed') return mainText(language, 'startup.migration_failed', { detail });
  if (error instanceof AppError && error.code === 'db_too_new') return mainText(language, 'startup.db_too_new');
  if (error instanceof AppError && error.code === 'db_empty') return mainText(language, 'startup.db_empty', { file: path.join(dataDir, 'whatzme.db') });
  if (error instanceof AppError && error.code === 'data_dir_in_use') {
    const owner = readHolder(dataDir);
    const holder = owner
      ? mainText(language, 'startup.holder', {
          pid: owner.pid,
          mode: mainText(language, owner.mode === 'web' ? 'startup.mode_web' : 'startup.mode_electron'),
          since: new Date(owner.since).toLocaleTimeString(language === 'es' ? 'es-MX' : 'en-US', { hour: '2-digit', minute: '2-digit' }),
        })
      : '';
    return mainText(language, 'startup.data_dir_in_use', { dir: dataDir, holder });
  }
  return mainText(language, 'startup.other', { logs: path.join(dataDir, 'logs'), detail });
}
