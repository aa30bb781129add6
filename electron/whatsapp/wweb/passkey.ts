/**
 * Passkey linking (rolled out from 2026-06-30: waha 2138, 2140; OpenWA 560; Baileys 2672; whatsmeow 1185): after the
 * QR or the pairing code, the phone says "Continue on WhatsApp Web" and WhatsApp Web runs a WebAuthn assertion —
 * `navigator.credentials.get()` with `rpId: "whatsapp.com"` and `userVerification: "required"` (the "Shortcake"
 * flow, as reverse-engineered in Baileys 2672). The app's browser is headless: no authenticator answers, and the
 * linking stalled until it ended as a timeout. The page's WebAuthn call is watched, so the number can say it.
 */
export const PASSKEY_BINDING = '__whatzmePasskeyRequested';

/** Page source that reports every WebAuthn request (its relying party) before it runs; idempotent. */
export const PASSKEY_HOOK = `(() => {
  if (window.__whatzmePasskeyHook || !navigator.credentials || typeof navigator.credentials.get !== 'function') return;
  window.__whatzmePasskeyHook = true;
  const get = navigator.credentials.get.bind(navigator.credentials);
  navigator.credentials.get = (options) => {
    try {
      if (options && options.publicKey && typeof window.${PASSKEY_BINDING} === 'function') window.${PASSKEY_BINDING}(String(options.publicKey.rpId || location.hostname));
    } catch (e) {}
    return get(options);
  };
})()`;

type HookablePage = {
  evaluate(source: string): Promise<unknown>;
  exposeFunction?(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  evaluateOnNewDocument?(source: string): Promise<unknown>;
};

/** Watches the page's WebAuthn requests for WhatsApp (now and after any reload); a page without the hooks: nothing. */
export async function watchPasskeys(page: HookablePage | null | undefined, onRequest: (rpId: string) => void): Promise<void> {
  if (!page?.exposeFunction || !page.evaluateOnNewDocument) return;
  await page.exposeFunction(PASSKEY_BINDING, (rpId: string) => {
    if (/(^|\.)whatsapp\.(com|net)$/i.test(rpId)) onRequest(rpId);
  });
  await page.evaluateOnNewDocument(PASSKEY_HOOK);
  await page.evaluate(PASSKEY_HOOK);
}
