import { describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser } from '../../../electron/whatsapp';

describe('finding a browser for WhatsApp Web', () => {
  it('looks for Chrome, Edge and Chromium in Program Files and LocalAppData on Windows', () => {
    const env = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' };
    const list = browserCandidates('win32', env);
    expect(list).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(list).toContain('C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    expect(list).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    // Edge ships with Windows: a machine without Chrome still finds it.
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    expect(findBrowser({ platform: 'win32', env, exists: (f) => f === edge })).toBe(edge);
  });

  it('looks in /Applications on macOS', () => {
    const list = browserCandidates('darwin', { HOME: '/Users/ana' });
    expect(list[0]).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(list).toContain('/Users/ana/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
  });

  it('looks for google-chrome, chromium and microsoft-edge on the PATH on Linux', () => {
    const found = findBrowser({ platform: 'linux', env: { PATH: '/opt/x:/usr/bin' }, exists: (f) => f === '/usr/bin/chromium' });
    expect(found).toBe('/usr/bin/chromium');
    expect(browserCandidates('linux', { PATH: '/opt/x' })).toContain('/opt/x/microsoft-edge');
  });

  it('prefers the path chosen in Settings when it exists, and ignores it when it does not', () => {
    const exists = (f: string) => f === '/custom/chrome' || f === '/usr/bin/google-chrome';
    expect(findBrowser({ platform: 'linux', env: {}, preferred: '/custom/chrome', exists })).toBe('/custom/chrome');
    expect(findBrowser({ platform: 'linux', env: {}, preferred: '/gone/chrome', exists })).toBe('/usr/bin/google-chrome');
  });

  it('says null when there is no browser at all', () => {
    expect(findBrowser({ platform: 'linux', env: { PATH: '/nowhere' }, exists: () => false })).toBeNull();
  });
});
