/**
 * A WhatsApp Web build the double plays: the switches the double page reads (`page/double-page.js`). Each variant is
 * a file in this folder, named after the build and the public report it follows, listed in `index.ts`.
 */
export type DoubleVariant = {
  name: string;
  /** `window.Debug.VERSION`. */
  build: string;
  /** Where a message key keeps its text: `_serialized` until July 2026, a minified own property after. */
  keyField: '_serialized' | '$1';
  /** Message models have `avParams()` (gone from July-2026 media models: wwebjs 201823, waha 2149). */
  avParams: boolean;
  /** An unknown build: WAWebMsgKey is not where the shim looks (a module renamed), so nothing it knows applies. */
  msgKeyGone: boolean;
  /** A build that moved the send action: every send is a TypeError the shim cannot see coming (wwebjs 3733, 5759). */
  sendActionMoved: boolean;
  /** Percentage of contacts WhatsApp moved to a LID: a chat by phone number fails "No LID for user" (wwebjs 145434). */
  lidPercent: number;
  /** Contacts (E.164) whose chat has a broken `lastReceivedKey`: reading it throws `r: r` (OpenWA 757, wwebjs 201851). */
  brokenChats: string[];
  /** Messages a history page holds (fetchMessages pages through `loadEarlierMsgs`). */
  historyPage: number;
  /** The app state syncs this long after whatsapp-web.js listens for it (then `ready`). */
  syncDelayMs: number;
  /** The app state never syncs after a link or a restore: `ready` never comes (wwebjs 201919). */
  neverSyncs: boolean;
  /**
   * Bootloader components whose modules are not in the registry until `Bootloader.loadModules([component])` fetches
   * their bundle (WhatsApp Web >= 2.3000 loads bundles on demand: wa-js 3582, 3668, 3476).
   */
  lazyBundles: Record<string, string[]>;
  /** WhatsApp's limits on reaching new people the phone has from its link (reach-limits.ts): a cap, a timelock. */
  limits: { cap?: { total: number; used: number; cycleMs: number }; timelockMs?: number } | null;
  /** The account asks for a passkey after the scan: the page runs a WebAuthn assertion for whatsapp.com (Baileys 2672). */
  passkey: boolean;
};

/** The build before July 2026, from which each variant differs. */
export const BASE: DoubleVariant = {
  name: 'current',
  build: '2.3000.1031980585',
  keyField: '_serialized',
  avParams: true,
  msgKeyGone: false,
  sendActionMoved: false,
  lidPercent: 10,
  brokenChats: [],
  historyPage: 20,
  syncDelayMs: 200,
  neverSyncs: false,
  lazyBundles: {},
  limits: null,
  passkey: false,
};
