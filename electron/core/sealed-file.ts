import fs from 'node:fs';

/**
 * How secrets are sealed: by the system's keychain (the desktop app passes Electron's safeStorage) or not at all
 * (web mode, where the file's permissions are the protection, and the app says so).
 */
export type SecretBox = { kind: 'keychain' | 'file'; seal(plain: string): string; open(sealed: string): string };

export const plainBox: SecretBox = { kind: 'file', seal: (plain) => plain, open: (sealed) => sealed };

/**
 * A JSON file of sealed secrets by key, readable only by this user (0600), never in the database (so a backup
 * never carries them). Written to a temporary file then renamed, so a crash leaves the old file or the new one.
 */
export class SealedFile<T extends Record<string, string>> {
  private cache: Record<string, T> | undefined;

  constructor(
    private readonly file: string,
    private readonly box: SecretBox,
  ) {}

  get kind(): SecretBox['kind'] {
    return this.box.kind;
  }

  get(key: string): T | null {
    const sealed = this.read()[key];
    if (!sealed) return null;
    return Object.fromEntries(Object.entries(sealed).map(([k, v]) => [k, this.box.open(v)])) as T;
  }

  set(key: string, value: T): void {
    const sealed = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.box.seal(v)])) as T;
    this.write({ ...this.read(), [key]: sealed });
  }

  remove(key: string): void {
    const all = { ...this.read() };
    delete all[key];
    this.write(all);
  }

  private read(): Record<string, T> {
    if (this.cache) return this.cache;
    try {
      this.cache = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, T>;
    } catch {
      this.cache = {};
    }
    return this.cache;
  }

  private write(all: Record<string, T>): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, this.file);
    this.cache = all;
  }
}
