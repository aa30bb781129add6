import type { DoubleVariant } from './variant';

/**
 * An account that asks for a passkey to link a computer (rolled out from 2026-06-30: waha 2138, 2140; OpenWA 560;
 * Baileys 2672; whatsmeow 1185): after the scan the page runs `navigator.credentials.get()` for whatsapp.com with
 * user verification; with no authenticator (a hidden browser) the link stalls there.
 */
export function withPasskey(variant: DoubleVariant): DoubleVariant {
  return { ...variant, name: `${variant.name}+passkey`, passkey: true };
}
