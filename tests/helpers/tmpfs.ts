import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tempDir } from './temp-dir';

const MB = 1024 * 1024;

/** Small file systems that really fill up (mount needs root, as CI has); `unmountAll` after each test. */
export function tmpfsMounts() {
  const mounts: string[] = [];
  return {
    mount(size: string): string {
      const dir = tempDir('whatzme-tmpfs-');
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
      mounts.push(dir);
      return dir;
    },
    unmountAll(): void {
      for (const dir of mounts.splice(0)) execFileSync('umount', ['-l', dir]);
    },
  };
}

/** Fills every byte left on a file system, the way a full disk looks to SQLite and to the log. */
export function fillUp(filler: string): void {
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(MB);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch {
    for (let size = 64 * 1024; size >= 1; size = Math.floor(size / 2)) {
      try {
        for (;;) fs.writeSync(fd, chunk.subarray(0, size));
      } catch {
        // smaller pieces next
      }
    }
  }
  fs.closeSync(fd);
}
