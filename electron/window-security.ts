/** Security decisions for the Electron window, kept free of `electron` so tests can pin them. */

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://whatzme`;

export function windowWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

/** Only our own bundled pages may be shown in the window. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'whatzme';
  } catch {
    return false;
  }
}

/** Links the user clicks that may open in the system browser: https only, never file:, javascript: or custom schemes. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
