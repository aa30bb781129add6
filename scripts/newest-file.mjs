import fs from 'node:fs';
import path from 'node:path';

/** The latest modification time of any file under `dir`: a build is stale when its sources are newer. */
export function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}
