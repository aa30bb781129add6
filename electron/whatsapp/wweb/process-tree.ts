import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills a browser and every process it started: on Windows `process.kill` ends only the parent and leaves
 * Chrome's renderer and GPU children alive (holding the profile), so `taskkill /T /F` takes the whole tree;
 * on POSIX Puppeteer starts Chrome as a process-group leader, so the group is killed.
 */
export function killTree(pid: number, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Chrome's single-instance files: left behind by a hard crash, they make the next launch fail with "already running". */
const PROFILE_LOCKS = ['SingletonLock', 'SingletonSocket', 'SingletonCookie', 'lockfile'];

/**
 * Removes stale profile locks before a launch. Safe: the data folder has one owner (core/data-lock), and each
 * number's profile is used by its one session, so a lock found here belongs to a browser that is gone.
 */
export function clearStaleProfileLocks(profileDir: string): string[] {
  const removed: string[] = [];
  for (const name of PROFILE_LOCKS) {
    const file = path.join(profileDir, name);
    try {
      fs.lstatSync(file); // SingletonLock is a dangling symlink: existsSync would say it is not there
    } catch {
      continue;
    }
    try {
      fs.rmSync(file, { force: true });
      removed.push(name);
    } catch {
      // Still held: the launch will say so.
    }
  }
  return removed;
}

/** Removes a folder, retrying while Windows still holds a file in it (EBUSY/EPERM for a moment after Chrome exits). */
export async function removeWithRetry(dir: string, attempts = 8, firstDelayMs = 100): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (i + 1 >= attempts || (code !== 'EBUSY' && code !== 'EPERM' && code !== 'ENOTEMPTY')) throw error;
      await sleep(firstDelayMs * 2 ** i);
    }
  }
}
