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

/** Sites the app links to (WhatsApp's help and our own); a link anywhere else is not opened from the app. */
export const EXTERNAL_HOSTS = ['whatsapp.com', 'wa.me', 'whatzme.mx'] as const;

/**
 * Links the user clicks that may open in the system browser: https only, and only to the sites above (or their
 * subdomains) — a compromised renderer cannot send the user to any page it likes.
 */
export function isExternalLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
    const host = parsed.hostname.toLowerCase();
    return EXTERNAL_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
  } catch {
    return false;
  }
}
