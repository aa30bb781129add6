import fs from 'node:fs';
import pino from 'pino';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScaledClock } from '../../electron/core/clock';
import { silentLogger } from '../../electron/core/logger';
import { WwebDriver, type DriverFactory } from '../../electron/whatsapp';
import { SimWorld, type DeliveryRecord, type SimBehaviour } from '../../electron/whatsapp/sim-world';
import { WhatsAppWebDouble } from '../../electron/whatsapp/wweb-double/double-server';
import type { DoubleVariant } from '../../electron/whatsapp/wweb-double/variants';
import type { NumberView } from '../../shared/numbers';
import { CHROMIUM } from './paths';
import { startTestApp, type TestApp } from './contacts-app';
import { tempDir } from './temp-dir';

/** Sixty times wall time: a campaign's pacing (about one a second, pauses of half a minute) in seconds. */
const FACTOR = 60;

export type DoubleRig = {
  t: TestApp;
  double: WhatsAppWebDouble;
  world: SimWorld;
  clock: ScaledClock;
  dir: string;
  /** What each contact's phone received, from the double's delivery record. */
  delivered(): DeliveryRecord[];
  /** Adds a real number and links it as the user would: the phone scans the QR whatsapp-web.js shows. */
  link(phone: string): Promise<NumberView>;
  /** The app restarts on the same data folder (the double, WhatsApp, stays up); `whileDown` runs while it is closed. */
  restart(whileDown?: () => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
};

/**
 * The real app whose real numbers run WwebDriver → whatsapp-web.js → puppeteer → Debian's Chromium → the WhatsApp
 * Web double (`electron/whatsapp/wweb-double/`), on a sped-up clock that the double's world shares.
 */
/** `driver`: the driver's limits a scenario needs shorter (the ready watchdog, in wall time). */
export async function doubleRig(variant: DoubleVariant, behaviour: Partial<SimBehaviour> = {}, driver: { readyTimeoutMs?: number } = {}): Promise<DoubleRig> {
  const dir = tempDir();
  const clock = new ScaledClock(Date.now(), FACTOR);
  const recordFile = path.join(dir, 'whatsapp', 'deliveries.jsonl');
  const world = new SimWorld(clock, 5, recordFile, { notOnWhatsAppPercent: 0, transientFailureRate: 0, replyRate: 0, readRate: 0.8, ...behaviour });
  const double = new WhatsAppWebDouble(world, variant);
  await double.start();
  const cacheDir = path.join(dir, 'wweb-cache');
  double.install(cacheDir);
  const factory: DriverFactory = ({ numberId, sessionDir }) =>
    new WwebDriver({
      numberId,
      sessionsDir: path.dirname(sessionDir),
      cacheDir,
      clock,
      // DOUBLE_LOG=1 shows the driver's log (what the page threw, the shim's report) when a scenario needs a look.
      logger: process.env.DOUBLE_LOG ? pino({ level: 'debug' }, pino.destination(2)) : silentLogger(),
      browserPath: () => CHROMIUM,
      extraBrowserArgs: WhatsAppWebDouble.browserArgs(),
      callTimeoutMs: 20_000,
      ...driver,
    });
  const appDir = path.join(dir, 'app');
  const start = () => startTestApp({ clock, simSeed: 5, driverFactory: factory }, appDir);
  let t = await start();
  const rig: DoubleRig = {
    get t() {
      return t;
    },
    double,
    world,
    clock,
    dir,
    delivered: () => SimWorld.readRecord(recordFile),
    async link(phone) {
      const added = await t.call<NumberView>('numbers.add', { kind: 'real', label: `Tienda ${phone.slice(-4)}` });
      const shown = await until(async () => (await t.call<NumberView[]>('numbers.list')).find((n) => n.id === added.id && n.state === 'qr' && n.qr));
      double.scan(shown.qr ?? '', phone);
      return until(async () => (await t.call<NumberView[]>('numbers.list')).find((n) => n.id === added.id && n.state === 'connected'));
    },
    async restart(whileDown) {
      await t.close();
      await whileDown?.();
      t = await start();
    },
    async close() {
      await t.close();
      await double.stop();
      world.close();
    },
  };
  return rig;
}

/** Polls (real time) until `probe` gives a value; fails with what it last saw. */
export async function until<T>(probe: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`gave up after ${ms} ms`);
    await sleep(50);
  }
}

/** A CSV of `count` Mexican mobiles from `first` on: lists that never share a contact. */
export function contactsFrom(dir: string, first: number, count: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `contactos_${first}_${count}.csv`);
  const lines = ['Nombre,Telefono'];
  for (let i = first; i < first + count; i++) lines.push(`Cliente ${i},${phoneOf(i)}`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/** Contact `i`'s phone as the CSV writes it (local) and as E.164. */
export function phoneOf(i: number): string {
  return `55${String(30000000 + i * 41)}`;
}
export function e164Of(i: number): string {
  return `+52${phoneOf(i)}`;
}
