import fs from 'node:fs';
import path from 'node:path';

export type FindBrowserOptions = {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** A path the user chose in Settings: used when it exists, before any search. */
  preferred?: string | null;
  exists?: (file: string) => boolean;
};

/** Where Chrome, Edge and Chromium usually live; Edge ships with Windows, so Windows nearly always has one. */
export function browserCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    const apps = [
      ['Google', 'Chrome', 'Application', 'chrome.exe'],
      ['Microsoft', 'Edge', 'Application', 'msedge.exe'],
      ['Chromium', 'Application', 'chrome.exe'],
    ];
    return apps.flatMap((parts) => roots.map((root) => path.win32.join(root, ...parts)));
  }
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      'Chromium.app/Contents/MacOS/Chromium',
    ];
    const roots = ['/Applications', env.HOME ? path.posix.join(env.HOME, 'Applications') : undefined].filter((r): r is string => !!r);
    return apps.flatMap((app) => roots.map((root) => path.posix.join(root, app)));
  }
  const names = ['google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser', 'microsoft-edge', 'microsoft-edge-stable'];
  const dirs = [...(env.PATH ?? '').split(':').filter(Boolean), '/usr/bin', '/usr/local/bin', '/snap/bin', '/opt/google/chrome'];
  return names.flatMap((name) => [...new Set(dirs)].map((dir) => path.posix.join(dir, name)));
}

/** The names a Chrome, Edge or Chromium executable has on each OS (a `.app` bundle's binary on macOS). */
const BROWSER_NAMES = new Set([
  'chrome.exe',
  'msedge.exe',
  'google chrome',
  'microsoft edge',
  'chromium',
  'google-chrome',
  'google-chrome-stable',
  'google-chrome-beta',
  'chromium-browser',
  'microsoft-edge',
  'microsoft-edge-stable',
  'chrome',
]);

/**
 * Whether a path looks like a Chrome/Edge/Chromium executable: the app starts whatever this names, so a setting
 * (or a restored backup) can never point it at another program.
 */
export function isBrowserExecutable(file: string, exists: (file: string) => boolean = isExecutableFile): boolean {
  const name = (file.includes('\\') ? path.win32.basename(file) : path.basename(file)).toLowerCase();
  return BROWSER_NAMES.has(name) && exists(file);
}

/**
 * Whether a browser can send video on WhatsApp Web: Chromium as Linux distributions build it has no H.264 (a
 * licensing choice), so WhatsApp Web refuses MP4 videos there; Google Chrome and Microsoft Edge have it.
 */
export function videoSupport(browser: string | null): 'yes' | 'no' | 'unknown' {
  if (!browser) return 'unknown';
  const name = (browser.includes('\\') ? path.win32.basename(browser) : path.basename(browser)).toLowerCase();
  if (name.startsWith('chromium')) return 'no';
  // Chromium for Windows is a `chrome.exe` under a Chromium folder.
  return name.replace(/\.exe$/, '') === 'chrome' && browser.toLowerCase().includes('chromium') ? 'no' : 'yes';
}

/** The browser WhatsApp Web will run in, or null when none is installed. */
export function findBrowser(opts: FindBrowserOptions = {}): string | null {
  const exists = opts.exists ?? isExecutableFile;
  if (opts.preferred && isBrowserExecutable(opts.preferred, exists)) return opts.preferred;
  return browserCandidates(opts.platform ?? process.platform, opts.env ?? process.env).find(exists) ?? null;
}

function isExecutableFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
