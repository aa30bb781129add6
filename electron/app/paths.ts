import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'WhatzMe Desktop';

/** The per-user data folder, the same one Electron's `app.getPath('userData')` gives for this product name. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir(),
): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), PRODUCT_NAME);
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'whatzme.db');
}
