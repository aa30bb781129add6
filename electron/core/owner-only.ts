import fs from 'node:fs';
import path from 'node:path';

/**
 * The data folder holds the contacts, the WhatsApp sessions and the webhooks' signing secrets: only its owner may
 * read it. New files are made owner-only (umask 077, where the process may set it: not in a worker thread), the
 * folder itself is 0700 (so nothing below it is reachable by other users whatever its own mode), and the database
 * files already there are 0600. Windows has no such modes: the user's profile folder already keeps others out.
 */
export function keepOwnerOnly(dataDir: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  try {
    process.umask(0o077);
  } catch {
    // A worker thread cannot set it; the folder's own mode still keeps others out.
  }
  fs.chmodSync(dataDir, 0o700);
  for (const name of fs.readdirSync(dataDir)) {
    if (!/^whatzme\.db(-wal|-shm)?$|^whatzme\.lock/.test(name)) continue;
    try {
      fs.chmodSync(path.join(dataDir, name), 0o600);
    } catch {
      // Gone meanwhile.
    }
  }
}
