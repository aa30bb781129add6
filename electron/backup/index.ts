export { backupTo, checkBackup, restoreFrom } from './backup';
export { backupHandlers, type Services } from './handlers';
