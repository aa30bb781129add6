import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { whatsAppWebShim, type ShimReport } from '../../electron/whatsapp/wweb/page-shim';
import { launchBrowser } from './support/browser';

/**
 * The compatibility shim, run in Debian's Chromium against stub `WAWebMsgKey` modules in the two shapes WhatsApp
 * Web has served. The new shape follows the payload quoted in wwebjs/whatsapp-web.js#201857 and wa-js#3488: the
 * cached serialization lives in a minified own property (named `$1` there; `$Q` here, to prove the name is read
 * from `toString`'s source and not assumed), `toString()` returns it, and `_serialized` is gone.
 */
const STUBS = `
  class OldMsgKey {
    constructor({ fromMe, remote, id }) { this.fromMe = fromMe; this.remote = remote; this.id = id; this._serialized = fromMe + '_' + remote + '_' + id; }
    toString() { return this._serialized; }
  }
  class NewMsgKey {
    constructor({ fromMe, remote, id }) { this.fromMe = fromMe; this.remote = remote; this.id = id; this.self = 'out'; this.$Q = fromMe + '_' + remote + '_' + id + '_out'; }
    toString() { return this.$Q; }
  }
  window.__modules = {};
  window.require = (name) => { const m = window.__modules[name]; if (!m) throw new Error('module not found: ' + name); return m; };
`;

const shimSource = `(() => { const __name = (f) => f; return (${whatsAppWebShim.toString()})(); })()`;

let close: () => Promise<void>;
let page: Page;
beforeAll(async () => {
  ({ page, close } = await launchBrowser());
});
afterAll(() => close());

async function load(shape: 'OldMsgKey' | 'NewMsgKey'): Promise<void> {
  await page.goto('about:blank'); // a fresh window: nothing left from the last test
  await page.evaluate(`${STUBS}; window.__modules.WAWebMsgKey = { default: ${shape} }; window.Debug = { VERSION: '2.3000.1043000000' };`);
}

describe('the WhatsApp Web compatibility shim, in Chromium', () => {
  it('restores _serialized on the renamed key (before and after it runs), through toString and JSON as well', async () => {
    await load('NewMsgKey');
    // A key made before the shim ran, as everything already in the page's message store is.
    await page.evaluate(`window.before = new (window.require('WAWebMsgKey').default)({ fromMe: true, remote: '141880100663303@lid', id: '3EB0DAE60958DAE18CED29' });`);
    const report = (await page.evaluate(shimSource)) as ShimReport;
    expect(report).toEqual({ build: '2.3000.1043000000', patches: [{ name: 'msgkey-serialized', outcome: 'applied', detail: 'from this.$Q' }] });
    const result = (await page.evaluate(`(() => {
      const MsgKey = window.require('WAWebMsgKey').default;
      const after = new MsgKey({ fromMe: true, remote: '5215512345678@c.us', id: '3EB0AAA' });
      const store = new Map([[String(window.before), 'old message'], [String(after), 'new message']]);
      return {
        before: window.before._serialized,
        after: after._serialized,
        json: JSON.parse(JSON.stringify({ id: window.before })).id._serialized,
        lookup: store.get(after._serialized),
        ownAfterRead: Object.prototype.hasOwnProperty.call(after, '_serialized'),
      };
    })()`)) as Record<string, unknown>;
    expect(result).toEqual({
      before: 'true_141880100663303@lid_3EB0DAE60958DAE18CED29_out',
      after: 'true_5215512345678@c.us_3EB0AAA_out',
      json: 'true_141880100663303@lid_3EB0DAE60958DAE18CED29_out',
      lookup: 'new message',
      ownAfterRead: true,
    });
    // Run again (whatsapp-web.js injects again after a navigation): nothing is patched twice.
    expect(((await page.evaluate(shimSource)) as ShimReport).patches[0]).toMatchObject({ outcome: 'applied', detail: 'already' });
  });

  it('leaves the old key alone: it already has _serialized', async () => {
    await load('OldMsgKey');
    const report = (await page.evaluate(shimSource)) as ShimReport;
    expect(report.patches).toEqual([{ name: 'msgkey-serialized', outcome: 'not_needed', detail: 'toString reads _serialized' }]);
    const key = (await page.evaluate(`(() => {
      const k = new (window.require('WAWebMsgKey').default)({ fromMe: false, remote: '5215511112222@c.us', id: '3EB0BBB' });
      return { serialized: k._serialized, json: JSON.stringify(k), toJSON: typeof k.toJSON };
    })()`)) as Record<string, unknown>;
    expect(key).toEqual({ serialized: 'false_5215511112222@c.us_3EB0BBB', json: '{"fromMe":false,"remote":"5215511112222@c.us","id":"3EB0BBB","_serialized":"false_5215511112222@c.us_3EB0BBB"}', toJSON: 'undefined' });
  });

  it('says so when WhatsApp Web has no module by that name (the sign of a new change)', async () => {
    await page.goto('about:blank'); // a fresh window: nothing left from the last test
    await page.evaluate(`${STUBS}`);
    const report = (await page.evaluate(shimSource)) as ShimReport;
    expect(report).toEqual({ build: null, patches: [{ name: 'msgkey-serialized', outcome: 'unknown_shape', detail: 'WAWebMsgKey not found' }] });
  });
});
