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

/** The browser WhatsApp Web will run in, or null when none is installed. */
export function findBrowser(opts: FindBrowserOptions = {}): string | null {
  const exists = opts.exists ?? isExecutableFile;
  if (opts.preferred && exists(opts.preferred)) return opts.preferred;
  return browserCandidates(opts.platform ?? process.platform, opts.env ?? process.env).find(exists) ?? null;
}

function isExecutableFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
