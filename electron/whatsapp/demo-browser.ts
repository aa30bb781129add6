import path from 'node:path';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Random } from '../core/random';
import type { SimFault } from '../../shared/numbers';
import type { SimWorld } from './sim-world';
import { WhatsAppWebDouble } from './wweb-double/double-server';
import { VARIANTS } from './wweb-double/variants';
import { WwebDriver } from './wwebjs';
import { DEMO_CAP_CYCLE_MS, DEMO_TIMELOCK_MS } from './simulator';

/** What the demo's buttons do to a demo number that runs in a real browser (see SessionManager.simulate*). */
export type DemoControls = {
  /** The phone scans the QR the number shows; answers the phone it linked. */
  scan(qr: string): string;
  /** A contact writes to the linked phone; answers the chat it came from. */
  reply(phone: string, e164: string, body: string): string;
  fault(phone: string, fault: SimFault): void;
  /** The passkey WhatsApp asked for while linking is given (the demo has no window to give it in). */
  givePasskey(): void;
};

/**
 * `--demo --demo-browser`: demo numbers run the real driver (WwebDriver → whatsapp-web.js → puppeteer-core → a real
 * browser, headless) against the WhatsApp Web double on this computer, in the simulator's world. What support uses
 * to watch the real stack meet WhatsApp Web's changes without a phone; the plain `--demo` stays the fast simulator.
 */
export class DemoBrowser implements DemoControls {
  private constructor(
    private readonly double: WhatsAppWebDouble,
    private readonly world: SimWorld,
    private readonly cacheDir: string,
    private readonly random: Random,
  ) {}

  /** Serves the double (the build users meet today: July 2026's) through whatsapp-web.js's local web cache. */
  static async start(deps: { world: SimWorld; dataDir: string; random: Random }): Promise<DemoBrowser> {
    const double = new WhatsAppWebDouble(deps.world, VARIANTS.keyRename);
    await double.start();
    const cacheDir = path.join(deps.dataDir, 'demo-browser-cache');
    double.install(cacheDir);
    return new DemoBrowser(double, deps.world, cacheDir, deps.random);
  }

  driver(deps: { numberId: string; sessionDir: string; clock: Clock; logger: Logger; browserPath: () => string | null }): WwebDriver {
    return new WwebDriver({
      numberId: deps.numberId,
      sessionsDir: path.dirname(deps.sessionDir),
      cacheDir: this.cacheDir,
      clock: deps.clock,
      logger: deps.logger,
      browserPath: deps.browserPath,
      extraBrowserArgs: WhatsAppWebDouble.browserArgs(),
      // The simulator's watchdog, so "ready never comes" plays in the same seconds in both demos.
      readyTimeoutMs: this.world.behaviour.readyWatchdogMs,
    });
  }

  scan(qr: string): string {
    const phone = `+5255${String(this.random.int(10_000_000, 99_999_999))}`;
    this.double.scan(qr, phone);
    return phone;
  }

  reply(phone: string, e164: string, body: string): string {
    return this.double.reply(phone, e164, body);
  }

  /** The simulator's faults, each as the double plays it in the page. */
  fault(phone: string, fault: SimFault): void {
    const last = this.double.deliveriesFrom(phone).at(-1);
    switch (fault) {
      case 'opened_elsewhere':
        return this.double.openElsewhere(phone);
      case 'unlinked':
        return this.double.logoutFromPhone(phone);
      case 'contacts_block':
        return this.world.startBlocking(phone, 40);
      case 'whatsapp_changed':
        return this.double.changeBuild(phone);
      case 'lid_opt_out':
        // The last contact written to answers CANCELAR from the LID chat WhatsApp moved them to.
        if (last?.e164) this.double.reply(phone, last.e164, 'CANCELAR', { fromLid: true });
        return;
      case 'offline_replies':
        return this.double.goOffline(phone, 60_000, ['¿Todavía tienen la promoción?', 'BAJA']);
      case 'in_doubt_next':
        // WhatsApp takes the next message and the page's call fails after it; the chat then cannot be read once.
        return this.double.inDoubtNext(phone);
      case 'cap_warning':
        return this.double.setCap(phone, { total: 100, used: 76, cycleMs: DEMO_CAP_CYCLE_MS });
      case 'cap_reached':
        return this.double.setCap(phone, { total: 100, used: 100, cycleMs: DEMO_CAP_CYCLE_MS });
      case 'timelock':
        return this.double.timelock(phone, DEMO_TIMELOCK_MS);
      case 'passkey':
        // The phone closes this session; linking again, WhatsApp asks for a passkey.
        this.double.askPasskey(phone);
        return this.double.logoutFromPhone(phone);
      case 'ready_never_comes':
        // WhatsApp Web reloads and never finishes syncing: "Conectando…" until the ready watchdog restarts it.
        return this.double.hangNextStart(phone);
    }
  }

  givePasskey(): void {
    this.double.givePasskeys();
  }

  async stop(): Promise<void> {
    await this.double.stop();
  }
}
