export { openDatabase, registerFunctions, type Db } from './open';
export { migrate, schemaVersion } from './migrate';
export { migrations, type Migration } from './migrations';
export { scheduleCheckpoints } from './wal';
export { statement } from './statement-cache';
export { OffThreadCheckpoints } from './checkpointer';
