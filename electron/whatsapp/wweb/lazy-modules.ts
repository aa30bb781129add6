/**
 * WhatsApp Web's lazy bundles. Since 2.3000 the page keeps some modules out of its registry until WhatsApp's
 * Bootloader fetches their bundle, which it does when the UI first needs it: a session that never opened that part
 * of the UI answers `Requiring unknown module "X"` for the whole life of the page, and asking again never helps
 * (wppconnect-team/wa-js 3582, 3668; 3476 was the stale lookup). Such a module is "not loaded yet", not "gone": the
 * page is asked to fetch its bundle, the way wa-js's `ensureLazyModule` does, and only a module still unknown after
 * that is a sign that WhatsApp Web changed.
 */

/**
 * The modules whatsapp-web.js requires before a message exists (`processMediaData`, util/Injected/Utils.js): when
 * one of them is unknown nothing was sent, so the send can be tried again once its bundle is in.
 */
const BEFORE_THE_MESSAGE = new Set([
  'WAWebMediaOpaqueData',
  'WAWebPrepRawMedia',
  'WAWebMediaStorage',
  'WAWebMmsMediaTypes',
  'WAWebMediaDataUtils',
  'WAWebMediaInMemoryBlobCache',
  'WAWebMediaMmsV4Upload',
]);

/**
 * Components to ask the Bootloader for, tried in order: the module's own name (a Meta component can be a module,
 * as wa-js bootloads `WAWebMediaForwardMediaMsg`), then component names like the media flows (at most a few), since
 * which bundle holds a module is published nowhere on the page.
 */
const MEDIA_COMPONENTS = 'Attach|Media(Prep|Upload|Editor)';

/** The module a page error says is unknown (`Requiring unknown module "X"`, Meta's loader), or null. */
export function unknownModuleOf(error: unknown): string | null {
  const text = error instanceof Error ? error.message : String(error);
  return /Requiring unknown module "([^"]+)"/.exec(text)?.[1] ?? null;
}

/** An unknown module whose bundle may be fetched and the send tried again: nothing went out before it was needed. */
export function isRetryableAfterLoad(moduleId: string): boolean {
  return BEFORE_THE_MESSAGE.has(moduleId);
}

export type LoadOutcome = 'registered' | 'absent' | 'no_loader';

/** Page source that asks WhatsApp's Bootloader for `moduleId`'s bundle and says whether the module is now there. */
export function loadModuleSource(moduleId: string): string {
  const args = JSON.stringify({ moduleId, pattern: BEFORE_THE_MESSAGE.has(moduleId) ? MEDIA_COMPONENTS : null, most: 6, waitMs: 10_000 });
  // `__name` stands in for the helper esbuild adds to named functions (keepNames), as for the shim.
  return `(() => { const __name = (f) => f; return (${inPage.toString()})(${args}); })()`;
}

/** Runs in the page (sent as source; nothing from this file is in scope there). */
async function inPage(o: { moduleId: string; pattern: string | null; most: number; waitMs: number }): Promise<LoadOutcome> {
  const has = (id: string) => {
    try {
      (globalThis as unknown as { require(id: string): unknown }).require(id);
      return true;
    } catch {
      return false;
    }
  };
  if (has(o.moduleId)) return 'registered';
  type Loader = { loadModules(c: string[], done: () => void, context: string): unknown; __debug?: { componentMap?: Map<string, unknown> } };
  let loader: Loader | undefined;
  try {
    const m = (globalThis as unknown as { require(id: string): { loadModules?: unknown; default?: Loader } }).require('Bootloader');
    loader = typeof m?.loadModules === 'function' ? (m as unknown as Loader) : m?.default;
  } catch {
    return 'no_loader';
  }
  if (!loader || typeof loader.loadModules !== 'function') return 'no_loader';
  const map = loader.__debug?.componentMap;
  const candidates = [o.moduleId];
  if (map && o.pattern) {
    const re = new RegExp(o.pattern, 'i');
    for (const name of map.keys()) if (candidates.length <= o.most && re.test(name) && !candidates.includes(name)) candidates.push(name);
  }
  for (const component of candidates) {
    if (map && !map.has(component)) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, o.waitMs);
      try {
        loader!.loadModules([component], () => {
          clearTimeout(timer);
          resolve();
        }, 'WhatzMe');
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
    if (has(o.moduleId)) return 'registered';
  }
  return 'absent';
}
