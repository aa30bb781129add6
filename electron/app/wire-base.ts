import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Random } from '../core/random';
import type { StorageGuard } from '../core/storage-guard';
import type { Db } from '../db';
import type { FileStore } from '../files';
import type { SettingsStore } from '../settings';
import type { AppConfig } from './app-types';

/** What every domain is built from: the config, the database and its folder, time, randomness, the bus, settings. */
export type Base = {
  config: AppConfig;
  db: Db;
  dbFile: string;
  bus: EventBus;
  clock: Clock;
  random: Random;
  logger: Logger;
  storage: StorageGuard;
  settings: SettingsStore;
  files: FileStore;
};
