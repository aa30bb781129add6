import fs from 'node:fs';
import path from 'node:path';

/**
 * How secrets are sealed: by the system's keychain (the desktop app passes Electron's safeStorage) or not at all
 * (web mode, where the file's permissions are the protection, and the app says so).
 */
export type SecretBox = { kind: 'keychain' | 'file'; seal(plain: string): string; open(sealed: string): string };

export const plainBox: SecretBox = { kind: 'file', seal: (plain) => plain, open: (sealed) => sealed };

export type CloudSecret = { token: string; appSecret: string };

/**
 * A Cloud number's token and app secret, in `cloud-secrets.json` in the data folder, readable only by this user
 * (0600), never in the database (so a backup never carries them). Written to a temporary file then renamed, so a
 * crash leaves the old file or the new one.
 */
export class CloudSecrets {
  private readonly file: string;
  private cache: Record<string, { token: string; appSecret: string }> | undefined;

  constructor(
    dataDir: string,
    private readonly box: SecretBox,
  ) {
    this.file = path.join(dataDir, 'cloud-secrets.json');
  }

  get kind(): SecretBox['kind'] {
    return this.box.kind;
  }

  get(numberId: string): CloudSecret | null {
    const sealed = this.read()[numberId];
    if (!sealed) return null;
    return { token: this.box.open(sealed.token), appSecret: this.box.open(sealed.appSecret) };
  }

  set(numberId: string, secret: CloudSecret): void {
    const all = { ...this.read(), [numberId]: { token: this.box.seal(secret.token), appSecret: this.box.seal(secret.appSecret) } };
    this.write(all);
  }

  remove(numberId: string): void {
    const all = { ...this.read() };
    delete all[numberId];
    this.write(all);
  }

  private read(): Record<string, { token: string; appSecret: string }> {
    if (this.cache) return this.cache;
    try {
      this.cache = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, { token: string; appSecret: string }>;
    } catch {
      this.cache = {};
    }
    return this.cache;
  }

  private write(all: Record<string, { token: string; appSecret: string }>): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, this.file);
    this.cache = all;
  }
}
