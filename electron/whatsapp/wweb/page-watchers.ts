import type { Logger } from '../../core/logger';
import type { NumberState } from '../driver';
import type { WwebClient } from './client-types';
import { LIMITS_BINDING, WATCH_LIMITS } from './limits-reader';
import { watchPasskeys } from './passkey';

/** What the page watchers reach of their driver. */
export type WatcherHooks = {
  numberId: string;
  visible: boolean | undefined;
  logger: Logger;
  /** The driver's client now: a watcher of an older one says nothing. */
  current: () => WwebClient | undefined;
  state: () => NumberState;
  /** The driver stops, or the session ended: nothing more to say. */
  ending: () => boolean;
  setState: (state: NumberState) => void;
  armReadyWatchdog: () => void;
  clearReadyWatchdog: () => void;
  noteCrash: (reason: string) => void;
  emitLimits: () => void;
};

/**
 * What the driver watches in the browser and the page beside whatsapp-web.js's own events: the browser's crash,
 * WhatsApp Web's reloads, its limit changes, a passkey it asks for, and a linking that never says it finished.
 */
export class PageWatchers {
  private linkingTimer: NodeJS.Timeout | undefined;

  constructor(private readonly h: WatcherHooks) {}

  stopLinking(): void {
    clearInterval(this.linkingTimer);
  }

  /** Once the browser runs, its crash (not a stop of ours, nor the library's own destroy after a ban) restarts it. */
  watchBrowser(client: WwebClient): void {
    client.pupBrowser?.on?.('disconnected', () => {
      if (this.h.current() === client) this.h.noteCrash('the browser closed unexpectedly');
    });
  }

  /**
   * WhatsApp Web reloads itself (a new build, a sync it restarts): whatsapp-web.js injects again and says `ready`
   * only once the page has synced; until then nothing it injected is there. Meanwhile the number is "connecting",
   * under the ready watchdog — not "connected" to a page where every send is a TypeError counted as a WhatsApp change
   * (the double's `hangNextStart`: a reload that never synced, wwebjs 201919).
   */
  watchReloads(client: WwebClient): void {
    // Registered after the library's own listener, which says LOGOUT first when the phone closed the session
    // (Client.js framenavigated): an ended session is left as it ended.
    client.pupPage?.on?.('framenavigated', (frame) => {
      if (!frame?.parentFrame?.()) this.onReload(client);
    });
  }

  private limitBindings = new WeakSet<WwebClient>();

  /** WhatsApp Web's capping state-change event, told as `limits` (the binding once per client, the listener per load). */
  async watchLimitChanges(client: WwebClient): Promise<void> {
    const page = client.pupPage;
    if (!page?.exposeFunction) return;
    try {
      if (!this.limitBindings.has(client)) {
        this.limitBindings.add(client);
        await page.exposeFunction(LIMITS_BINDING, () => this.h.current() === client && this.h.emitLimits());
      }
      await page.evaluate(WATCH_LIMITS);
    } catch (error) {
      this.h.logger.info({ err: error }, "WhatsApp Web's limit changes not watched");
    }
  }

  private passkeysWatched = new WeakMap<WwebClient, Promise<void>>();

  /** The page's passkey requests watched, once per client; null when the page cannot be (a fake client in tests). */
  watchPasskeysOnce(client: WwebClient): Promise<void> | null {
    if (!client.pupPage?.exposeFunction) return null;
    let watching = this.passkeysWatched.get(client);
    if (!watching) {
      watching = watchPasskeys(client.pupPage, () => this.onPasskey(client)).catch((error: unknown) => this.h.logger.warn({ err: error }, 'passkey requests not watched'));
      this.passkeysWatched.set(client, watching);
    }
    return watching;
  }

  /**
   * WhatsApp Web asks for a passkey to finish linking (wweb/passkey.ts): the number says so, with what to do, and
   * waits — no ready watchdog meanwhile (WhatsApp gives the request 10 minutes; a failed one shows a new QR).
   */
  private onPasskey(client: WwebClient): void {
    if (this.h.current() !== client || this.h.ending() || this.h.state() === 'connected' || this.h.state() === 'passkey') return;
    this.h.logger.warn({ numberId: this.h.numberId, visible: !!this.h.visible }, 'WhatsApp asks for a passkey to link this computer');
    this.h.clearReadyWatchdog();
    this.h.setState('passkey');
  }

  onReload(client: WwebClient): void {
    if (this.h.current() !== client || this.h.ending() || this.h.state() !== 'connected') return;
    this.h.logger.warn({ numberId: this.h.numberId }, 'WhatsApp Web reloaded: waiting for it to be ready again');
    this.h.setState('connecting');
    this.h.armReadyWatchdog();
  }

  /**
   * After a scan or a pairing code the library says nothing until WhatsApp Web has synced (`authenticated` comes
   * with `ready`, Client.js onAppStateHasSyncedEvent), so a sync that never ends (wwebjs 201919) left the old QR on
   * screen for good. While a QR is shown the page's socket is looked at: once it is pairing or connected, the
   * number is "connecting", under the ready watchdog.
   */
  watchLinking(client: WwebClient): void {
    clearInterval(this.linkingTimer);
    this.linkingTimer = setInterval(() => {
      if (this.h.current() !== client || this.h.state() !== 'qr' || !client.pupPage) return clearInterval(this.linkingTimer);
      void client.pupPage
        .evaluate(`(() => { try { return window.require('WAWebSocketModel').Socket.state; } catch (e) { return null; } })()`)
        .then((socket) => {
          if (this.h.current() !== client || this.h.state() !== 'qr' || (socket !== 'PAIRING' && socket !== 'CONNECTED')) return;
          clearInterval(this.linkingTimer);
          this.h.setState('connecting');
          this.h.armReadyWatchdog();
        })
        .catch(() => undefined);
    }, 1000);
    this.linkingTimer.unref?.();
  }
}
