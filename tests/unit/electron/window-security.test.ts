import { describe, expect, it } from 'vitest';
import { isAppUrl, isExternalLink, windowWebPreferences } from '../../../electron/shell/window-security';
import { CONTENT_SECURITY_POLICY } from '../../../electron/server';

describe('Electron window security', () => {
  it('isolates the page: context isolation, sandbox, no Node', () => {
    expect(windowWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('lets the window show only the bundled app', () => {
    expect(isAppUrl('app://whatzme/index.html')).toBe(true);
    expect(isAppUrl('app://whatzme/#/ajustes')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('https://web.whatsapp.com/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('opens only https links in the system browser', () => {
    expect(isExternalLink('https://faq.whatsapp.com/')).toBe(true);
    expect(isExternalLink('http://example.com/')).toBe(false);
    expect(isExternalLink('file:///C:/Windows/system32/calc.exe')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
    expect(isExternalLink('smb://host/share')).toBe(false);
  });

  it('has a strict CSP: no inline or remote script, no eval, no plugins', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});
