import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { newToken } from './security';

/**
 * Web mode's address, kept from one run to the next so a bookmark (and the browser's cookie) keeps working after a
 * restart: the token and the port, in the data folder, readable only by its owner. Whoever can read that folder can
 * already read the database and the WhatsApp sessions beside it, so the file gives them nothing more.
 */
export const WEB_ACCESS_FILE = 'web-access.json';
/** Tried first on a folder's first run; any free port when it is taken. */
export const PREFERRED_PORT = 47_800;

const AccessSchema = z.object({ token: z.string().regex(/^[\w-]{32,128}$/), port: z.number().int().min(1).max(65_535).nullable() });
export type WebAccess = z.infer<typeof AccessSchema>;

/** The saved token and port, or a fresh token (and the preferred port) when there is none, it is unreadable, or `renew`. */
export function loadWebAccess(dataDir: string, renew = false): WebAccess {
  if (!renew) {
    try {
      const parsed = AccessSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, WEB_ACCESS_FILE), 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // none yet, or unreadable: a new one
    }
  }
  return { token: newToken(), port: PREFERRED_PORT };
}

/** Written whole (temp file, then rename) with owner-only permissions, also when the file existed with wider ones. */
export function saveWebAccess(dataDir: string, access: WebAccess): void {
  const file = path.join(dataDir, WEB_ACCESS_FILE);
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(access), { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}
