import type { SecretBox } from '../cloud';

/** The part of Electron's safeStorage the app uses (passed in: this file imports nothing of Electron). */
export type SafeStorage = { isEncryptionAvailable(): boolean; encryptString(plain: string): Buffer; decryptString(sealed: Buffer): string };

/**
 * Cloud API tokens sealed by the system's keychain (Keychain, DPAPI, libsecret) through Electron's safeStorage;
 * where the system offers none (a Linux without a keyring), undefined: the owner-only file alone, as in web mode.
 */
export function keychainBox(safeStorage: SafeStorage): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    kind: 'keychain',
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
