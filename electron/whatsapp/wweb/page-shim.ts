/**
 * Compatibility patches for WhatsApp Web, applied inside the page after whatsapp-web.js has injected its helpers
 * and before the driver trusts `ready`. Each patch says which WhatsApp Web build needed it and why, so the next
 * break is a change to this one file. The function runs in the page (it is sent as source): it may use nothing
 * from outside its own body.
 *
 * How to add one: reproduce the new shape as a stub module in `tests/unit/whatsapp/page-shim.test.ts` (from the
 * public reports), add a patch below that detects it by behaviour, never by a hard-coded minified name, and
 * list it in `docs/whatsapp-web.md`.
 */
export type ShimReport = {
  /** WhatsApp Web's own version string, when the page exposes it. */
  build: string | null;
  /** One entry per patch: applied, not needed (the old shape), or not possible (a shape we do not know yet). */
  patches: { name: string; outcome: 'applied' | 'not_needed' | 'unknown_shape'; detail: string | null }[];
};

export function whatsAppWebShim(): ShimReport {
  type Patch = ShimReport['patches'][number];
  const w = globalThis as unknown as {
    require?: (name: string) => unknown;
    Debug?: { VERSION?: string };
  };
  const patches: Patch[] = [];
  const load = (name: string): unknown => {
    try {
      return w.require?.(name);
    } catch {
      return undefined;
    }
  };

  // Patch "msgkey-serialized" — WhatsApp Web ≥ 2.3000.1042401057 (July 2026) renamed the message key's cached
  // `_serialized` to a minified own property (`$1` in the builds reported in wwebjs/whatsapp-web.js#201830 and
  // #201857); `toString()` still returns it. whatsapp-web.js 1.34.7 reads `_serialized` everywhere (its
  // sendMessage ends with `Msg.get(newMsgKey._serialized)` and resolves undefined). The minified name is read from
  // `toString`'s source, not assumed. Keys made before the patch keep the minified property as an own data
  // property, so `_serialized` is defined on each key as it is read (getter), compared (toString) or serialized
  // (toJSON), as wppconnect-team/wa-js#3488 found.
  (() => {
    const name = 'msgkey-serialized';
    const mod = load('WAWebMsgKey') as { default?: unknown } | ((...args: unknown[]) => unknown) | undefined;
    const MsgKey = (typeof mod === 'function' ? mod : (mod as { default?: unknown } | undefined)?.default) as
      | { prototype: Record<string, unknown> & { toString(): string } }
      | undefined;
    if (!MsgKey?.prototype) return patches.push({ name, outcome: 'unknown_shape', detail: 'WAWebMsgKey not found' });
    const proto = MsgKey.prototype;
    // Already patched in this page (whatsapp-web.js injects again after a navigation).
    if (Object.prototype.hasOwnProperty.call(proto, '__whatzmeShim')) return patches.push({ name, outcome: 'applied', detail: 'already' });
    const source = Function.prototype.toString.call(proto.toString);
    const match = /this\.([A-Za-z_$][\w$]*)/.exec(source);
    const cached = match?.[1] ?? null;
    if (cached === '_serialized') return patches.push({ name, outcome: 'not_needed', detail: 'toString reads _serialized' });
    const originalToString = proto.toString;
    const serialize = (key: Record<string, unknown>): string =>
      cached && typeof key[cached] === 'string' ? (key[cached] as string) : originalToString.call(key);
    const migrate = (key: Record<string, unknown>): string => {
      const value = serialize(key);
      if (!Object.prototype.hasOwnProperty.call(key, '_serialized')) {
        Object.defineProperty(key, '_serialized', { value, enumerable: true, configurable: true, writable: true });
      }
      return value;
    };
    Object.defineProperty(proto, '_serialized', {
      configurable: true,
      get(this: Record<string, unknown>) {
        return migrate(this);
      },
      set(this: Record<string, unknown>, value: unknown) {
        Object.defineProperty(this, '_serialized', { value, enumerable: true, configurable: true, writable: true });
      },
    });
    Object.defineProperty(proto, 'toString', {
      configurable: true,
      writable: true,
      value(this: Record<string, unknown>) {
        return migrate(this);
      },
    });
    Object.defineProperty(proto, 'toJSON', {
      configurable: true,
      writable: true,
      value(this: Record<string, unknown>) {
        migrate(this);
        return { ...this };
      },
    });
    Object.defineProperty(proto, '__whatzmeShim', { value: true, configurable: true });
    return patches.push({ name, outcome: 'applied', detail: cached ? `from this.${cached}` : 'from toString()' });
  })();

  return { build: w.Debug?.VERSION ?? null, patches };
}
