import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../electron/app/create-app';
import { ManualClock } from '../../../electron/core/clock';
import { DriverEmitter, type DriverFactory, type WhatsAppDriver } from '../../../electron/whatsapp';
import type { NumberView } from '../../../shared/numbers';
import { tempDir } from '../../helpers/temp-dir';

async function boot(dataDir: string, clock: ManualClock, driverFactory?: DriverFactory): Promise<App> {
  return createApp({ dataDir, version: '0.0.0', mode: 'web', clock, ...(driverFactory ? { driverFactory } : {}) });
}

async function call<T>(app: App, name: string, input: unknown): Promise<T> {
  const result = await app.dispatcher.dispatch(name, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as T;
}

describe('linked numbers (session manager on the simulator)', () => {
  it('links a demo number by QR and reconnects it after a restart without a QR', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(1_700_000_000_000);
    let app = await boot(dataDir, clock);
    const changes: NumberView[] = [];
    app.bus.subscribe((e) => e.event === 'numbers.changed' && changes.push(e.payload));

    const added = await call<NumberView>(app, 'numbers.add', { kind: 'demo' });
    expect(added).toMatchObject({ kind: 'demo', label: 'Número de demostración', state: 'connecting' });
    await clock.advance(1000);
    const [waiting] = await call<NumberView[]>(app, 'numbers.list', {});
    expect(waiting).toMatchObject({ state: 'qr', qr: expect.stringContaining('whatzme-sim:') });
    expect(changes.some((c) => c.state === 'qr' && c.qr)).toBe(true);

    const scanned = await call<NumberView>(app, 'numbers.simulateScan', { id: added.id });
    expect(scanned).toMatchObject({ state: 'connected', phone: expect.stringMatching(/^\+5255\d{8}$/), name: 'Negocio Demo', qr: null });
    expect(fs.existsSync(path.join(dataDir, 'sessions', `session-${added.id}`))).toBe(true);
    await app.close();

    app = await boot(dataDir, clock);
    const qrs: string[] = [];
    app.bus.subscribe((e) => e.event === 'numbers.changed' && e.payload.qr && qrs.push(e.payload.qr));
    await clock.advance(1000);
    const [back] = await call<NumberView[]>(app, 'numbers.list', {});
    expect(back).toMatchObject({ id: added.id, state: 'connected', phone: scanned.phone });
    expect(qrs).toEqual([]);
    await app.close();
  });

  it('links a second number alongside, renames it, and unlinking deletes only its session folder', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(0);
    const app = await boot(dataDir, clock);
    const removed: string[] = [];
    app.bus.subscribe((e) => e.event === 'numbers.removed' && removed.push(e.payload.id));
    const first = await call<NumberView>(app, 'numbers.add', { kind: 'demo', label: 'Tienda centro' });
    const second = await call<NumberView>(app, 'numbers.add', { kind: 'demo', label: 'Tienda norte' });
    await clock.advance(1000);
    await call(app, 'numbers.simulateScan', { id: first.id });
    await call(app, 'numbers.simulateScan', { id: second.id });
    expect((await call<NumberView>(app, 'numbers.rename', { id: second.id, label: '  Sucursal norte ' })).label).toBe('Sucursal norte');
    expect((await call<NumberView[]>(app, 'numbers.list', {})).map((n) => [n.label, n.state])).toEqual([
      ['Tienda centro', 'connected'],
      ['Sucursal norte', 'connected'],
    ]);

    await call(app, 'numbers.remove', { id: second.id });
    expect(removed).toEqual([second.id]);
    expect(fs.existsSync(path.join(dataDir, 'sessions', `session-${second.id}`))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'sessions', `session-${first.id}`))).toBe(true);
    expect((await call<NumberView[]>(app, 'numbers.list', {})).map((n) => n.id)).toEqual([first.id]);
    await app.close();
  });

  it('refuses a scan for a non-demo or already linked number, and unknown or malformed ids', async () => {
    const clock = new ManualClock(0);
    const never: DriverFactory = () => new StuckDriver();
    const app = await boot(tempDir(), clock, never);
    const real = await call<NumberView>(app, 'numbers.add', { kind: 'real' });
    await expect(call(app, 'numbers.simulateScan', { id: real.id })).rejects.toMatchObject({ code: 'not_demo' });
    await expect(call(app, 'numbers.rename', { id: 'n_doesnotexist', label: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call(app, 'numbers.remove', { id: '../../etc' })).rejects.toMatchObject({ code: 'invalid_input', field: 'id' });
    await expect(call(app, 'numbers.add', { kind: 'demo', label: '   ' })).rejects.toMatchObject({ code: 'invalid_input', field: 'label' });
    await app.close();

    const demoApp = await boot(tempDir(), clock);
    const demo = await call<NumberView>(demoApp, 'numbers.add', { kind: 'demo' });
    await clock.advance(1000);
    await call(demoApp, 'numbers.simulateScan', { id: demo.id });
    await expect(call(demoApp, 'numbers.simulateScan', { id: demo.id })).rejects.toMatchObject({ code: 'not_waiting_for_qr' });
    await demoApp.close();
  });

  it('restarts a crashed session with backoff, then leaves it in error until the user retries', async () => {
    const clock = new ManualClock(0);
    const drivers: CrashingDriver[] = [];
    const app = await boot(tempDir(), clock, () => {
      const d = new CrashingDriver();
      drivers.push(d);
      return d;
    });
    const number = await call<NumberView>(app, 'numbers.add', { kind: 'real' });
    await clock.advance(1);
    expect(drivers).toHaveLength(1);
    await clock.advance(2_000);
    expect(drivers).toHaveLength(2);
    await clock.advance(10_000);
    expect(drivers).toHaveLength(3);
    await clock.advance(30_000);
    expect(drivers).toHaveLength(4);
    await clock.advance(600_000);
    expect(drivers).toHaveLength(4);
    expect(drivers.slice(0, 3).every((d) => d.stopped)).toBe(true);
    expect((await call<NumberView[]>(app, 'numbers.list', {}))[0]).toMatchObject({ state: 'error', error: 'crashed' });

    await call(app, 'numbers.reconnect', { id: number.id });
    await clock.advance(1);
    expect(drivers).toHaveLength(5);
    await app.close();
  });

  it('a ready that never came is restarted like a crash; no internet is retried for as long as it takes', async () => {
    const clock = new ManualClock(0);
    const stuck: FailingDriver[] = [];
    const app = await boot(tempDir(), clock, () => {
      const d = new FailingDriver('ready_timeout');
      stuck.push(d);
      return d;
    });
    await call<NumberView>(app, 'numbers.add', { kind: 'real' });
    await clock.advance(1);
    for (const wait of [2_000, 10_000, 30_000]) await clock.advance(wait);
    expect(stuck).toHaveLength(4);
    await app.close();

    const offline: FailingDriver[] = [];
    let online = false;
    const app2 = await boot(tempDir(), clock, () => {
      const d = new FailingDriver(online ? null : 'network');
      offline.push(d);
      return d;
    });
    const number = await call<NumberView>(app2, 'numbers.add', { kind: 'real' });
    await clock.advance(1);
    // 5 s, 15 s, 30 s, 60 s, then every 2 minutes: after an hour offline it is still trying.
    await clock.advance(60 * 60_000);
    expect(offline.length).toBeGreaterThan(30);
    expect((await call<NumberView[]>(app2, 'numbers.list', {}))[0]).toMatchObject({ state: 'error', error: 'network' });
    online = true;
    await clock.advance(120_000);
    expect((await call<NumberView[]>(app2, 'numbers.list', {})).find((n) => n.id === number.id)?.state).toBe('connecting');
    const count = offline.length;
    await clock.advance(60 * 60_000);
    expect(offline).toHaveLength(count);
    await app2.close();
  });

  it('every linked real number meeting a ready that never comes, twice each: WhatsApp Web changed, no more restarts', async () => {
    const clock = new ManualClock(0);
    const drivers: FailingDriver[] = [];
    // Both numbers were linked (ready once) before WhatsApp Web changed.
    let changed = false;
    const app = await boot(tempDir(), clock, () => {
      const d = new FailingDriver(changed ? 'ready_timeout' : null);
      drivers.push(d);
      return d;
    });
    const numbers = [await call<NumberView>(app, 'numbers.add', { kind: 'real' }), await call<NumberView>(app, 'numbers.add', { kind: 'real' })];
    await clock.advance(1);
    for (const i of numbers.keys()) {
      drivers[i]!.emit('ready', { phone: `+52551111000${i}`, name: null });
      drivers[i]!.emit('state', { state: 'connected' });
    }
    changed = true;
    for (const n of numbers) await call(app, 'numbers.reconnect', { id: n.id });
    for (let i = 0; i < 6; i++) await clock.advance(30_000);
    const states = (await call<NumberView[]>(app, 'numbers.list', {})).map((n) => n.state);
    expect(states).toEqual(['wa_changed', 'wa_changed']);
    // And it stays so: no restart meets the same page again and again.
    const count = drivers.length;
    await clock.advance(10 * 60_000);
    expect(drivers).toHaveLength(count);
    await app.close();
  });

  it('starts a few sessions at a time, not ten browsers at once', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(0);
    let app = await boot(dataDir, clock, () => new StuckDriver());
    for (let i = 0; i < 5; i++) await call<NumberView>(app, 'numbers.add', { kind: 'real' });
    await app.close();
    const starting: string[] = [];
    const holds: (() => void)[] = [];
    app = await boot(dataDir, clock, ({ numberId }) => new SlowStartDriver(numberId, starting, holds));
    await clock.advance(1);
    expect(starting).toHaveLength(2);
    holds.shift()?.();
    await clock.advance(1);
    expect(starting).toHaveLength(3);
    // A start that never settles gives its place up after 30 s.
    await clock.advance(30_000);
    expect(starting).toHaveLength(5);
    await app.close();
  });

  it('does not restart an unlinked or banned number at app start, and stops every driver at quit', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(0);
    const started: string[] = [];
    const stopped: string[] = [];
    const factory: DriverFactory = ({ numberId }) => new StuckDriver(() => started.push(numberId), () => stopped.push(numberId));
    let app = await boot(dataDir, clock, factory);
    const a = await call<NumberView>(app, 'numbers.add', { kind: 'real', label: 'A' });
    const b = await call<NumberView>(app, 'numbers.add', { kind: 'real', label: 'B' });
    app.db.prepare("UPDATE numbers SET state = 'logged_out' WHERE id = ?").run(b.id);
    await app.close();
    expect(stopped.sort()).toEqual([a.id, b.id].sort());

    started.length = 0;
    app = await boot(dataDir, clock, factory);
    expect(started).toEqual([a.id]);
    await app.close();
  });
});

/** A driver that starts and then waits forever (a real number on a machine where nothing happens). */
class StuckDriver extends DriverEmitter implements WhatsAppDriver {
  constructor(
    private onStart: () => void = () => undefined,
    private onStop: () => void = () => undefined,
  ) {
    super();
  }
  async start() {
    this.onStart();
    this.emit('state', { state: 'connecting' });
  }
  async resolve() {
    return null;
  }
  async send(): Promise<never> {
    throw new Error('not connected');
  }
  async findSent() {
    return null;
  }
  async ackStates() {
    return new Map();
  }
  async recentIncoming() {
    return [];
  }
  async logout() {}
  async stop() {
    this.onStop();
  }
}

/** A driver whose browser crashes right after starting. */
class CrashingDriver extends StuckDriver {
  stopped = false;
  override async start() {
    await super.start();
    this.emit('state', { state: 'error', error: 'crashed' });
  }
  override async stop() {
    this.stopped = true;
  }
}

/** A driver whose start ends in an error of one kind (or connects, when `error` is null). */
class FailingDriver extends StuckDriver {
  constructor(private readonly error: 'ready_timeout' | 'network' | null) {
    super();
  }
  override async start() {
    await super.start();
    if (this.error) this.emit('state', { state: 'error', error: this.error });
  }
}

/** A driver whose start takes until the test lets it go. */
class SlowStartDriver extends StuckDriver {
  constructor(
    private readonly id: string,
    private readonly starting: string[],
    private readonly holds: (() => void)[],
  ) {
    super();
  }
  override async start() {
    this.starting.push(this.id);
    await new Promise<void>((resolve) => this.holds.push(resolve));
  }
}
