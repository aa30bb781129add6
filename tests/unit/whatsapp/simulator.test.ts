import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/core/clock';
import { DriverError, SimWorld, SimulatedDriver, type DriverEvents, type SimBehaviour } from '../../../electron/whatsapp';
import { tempDir } from '../../helpers/temp-dir';

function setup(behaviour: Partial<SimBehaviour> = {}, seed = 7) {
  const dir = tempDir();
  const clock = new ManualClock(1_700_000_000_000);
  const world = new SimWorld(clock, seed, path.join(dir, 'deliveries.jsonl'), { transientFailureRate: 0, ...behaviour });
  const events: { event: string; payload: unknown; at: number }[] = [];
  const driver = new SimulatedDriver('n_demo01', world, path.join(dir, 'session-n_demo01'));
  for (const event of ['qr', 'ready', 'state', 'disconnected', 'ack', 'incoming'] as const) {
    driver.on(event, (payload) => events.push({ event, payload, at: clock.now() }));
  }
  const of = <E extends keyof DriverEvents>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as DriverEvents[E]);
  return { dir, clock, world, driver, events, of };
}

async function linked(behaviour: Partial<SimBehaviour> = {}, seed = 7) {
  const s = setup(behaviour, seed);
  const started = s.driver.start();
  await s.clock.advance(1000);
  await started;
  s.driver.scan({ phone: '+525511112222', name: 'Tacos Don Luis' });
  return s;
}

describe('simulated WhatsApp', () => {
  it('shows a QR that rotates about every 20 s until scanned', async () => {
    const { driver, clock, of } = setup();
    const started = driver.start();
    await clock.advance(500);
    await started;
    await clock.advance(45_000);
    const qrs = of('qr').map((q) => q.qr);
    expect(qrs).toHaveLength(3);
    expect(new Set(qrs).size).toBe(3);
    expect(of('state').map((s) => s.state)).toEqual(['connecting', 'qr']);
  });

  it('links on scan, then reconnects after a restart without a QR', async () => {
    const { driver, dir, world, clock, of } = await linked();
    expect(of('ready')).toEqual([{ phone: '+525511112222', name: 'Tacos Don Luis' }]);
    expect(driver.currentState).toBe('connected');
    await driver.stop();

    const again = new SimulatedDriver('n_demo01', world, path.join(dir, 'session-n_demo01'));
    const qrs: string[] = [];
    const ready: unknown[] = [];
    again.on('qr', ({ qr }) => qrs.push(qr));
    again.on('ready', (r) => ready.push(r));
    const started = again.start();
    await clock.advance(1000);
    await started;
    expect(qrs).toEqual([]);
    expect(ready).toEqual([{ phone: '+525511112222', name: 'Tacos Don Luis' }]);
  });

  it('refuses a scan when no QR is showing', async () => {
    const { driver } = await linked();
    expect(() => driver.scan()).toThrow(DriverError);
  });

  it('resolves Mexican mobiles to their 521… chat id and says null for numbers not on WhatsApp', async () => {
    const { driver, clock, world } = await linked({ notOnWhatsAppPercent: 30 });
    const numbers = Array.from({ length: 200 }, (_, i) => `+52551${String(1000000 + i)}`);
    const results = await Promise.all(
      numbers.map(async (n) => {
        const p = driver.resolve(n);
        await clock.advance(500);
        return p;
      }),
    );
    const missing = results.filter((r) => r === null).length;
    expect(missing).toBeGreaterThan(30);
    expect(missing).toBeLessThan(100);
    expect(results.find((r) => r !== null)).toMatch(/^521551\d{7}@c\.us$/);
    expect(world.chatIdFor('+14157342290')).toBe('14157342290@c.us');
  });

  it('records a delivery durably before acknowledging, with the first ack before send returns', async () => {
    const { driver, clock, dir, of } = await linked();
    const sending = driver.send('5215511112222@c.us', { text: 'Hola Ana' });
    await clock.advance(1000);
    const { messageId } = await sending;
    expect(of('ack')[0]).toEqual({ messageId, ack: 'sent', at: expect.any(Number) });
    const record = SimWorld.readRecord(path.join(dir, 'deliveries.jsonl'));
    expect(record).toEqual([expect.objectContaining({ numberId: 'n_demo01', chatId: '5215511112222@c.us', text: 'Hola Ana', messageId })]);
  });

  it('progresses acks sent → delivered → read, some never read, and replies with some opt-outs', async () => {
    const { driver, clock, of } = await linked({ readRate: 0.6, replyRate: 0.5, optOutShare: 0.3 });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const p = driver.send(`52155${String(10000000 + i)}@c.us`, { text: `hola ${i}` });
      await clock.advance(1000);
      ids.push((await p).messageId);
    }
    await clock.advance(120_000);
    const byId = (id: string) => of('ack').filter((a) => a.messageId === id).map((a) => a.ack);
    for (const id of ids) expect(byId(id).slice(0, 2)).toEqual(['sent', 'delivered']);
    const read = ids.filter((id) => byId(id).includes('read')).length;
    expect(read).toBeGreaterThan(20);
    expect(read).toBeLessThan(60);
    const replies = of('incoming').map((m) => m.body);
    expect(replies.length).toBeGreaterThan(3);
    expect(replies.some((b) => /cancelar|baja|stop|no mas/i.test(b))).toBe(true);
  });

  it('fails some sends transiently, saying the message did not go out', async () => {
    const { driver, clock, dir } = await linked({ transientFailureRate: 1 });
    const p = driver.send('5215511112222@c.us', { text: 'x' }).catch((e: unknown) => e);
    await clock.advance(1000);
    const error = await p;
    expect(error).toBeInstanceOf(DriverError);
    expect(error).toMatchObject({ code: 'send_failed', maybeSent: false });
    expect(SimWorld.readRecord(path.join(dir, 'deliveries.jsonl'))).toEqual([]);
  });

  it('bans a number pushed past the safe rate', async () => {
    const { driver, clock, of } = await linked({ banAbovePerMinute: 20 });
    let error: unknown;
    for (let i = 0; i < 30 && !error; i++) {
      const p = driver.send(`52155${String(10000000 + i)}@c.us`, { text: 'promo' }).catch((e: unknown) => e);
      await clock.advance(500);
      const result = await p;
      if (result instanceof DriverError) error = result;
    }
    expect(error).toMatchObject({ code: 'not_connected' });
    expect(driver.currentState).toBe('banned');
    expect(of('disconnected')).toContainEqual({ reason: 'banned', raw: 'TOS_BLOCK' });
  });

  it('refuses media over WhatsApp limits', async () => {
    const { driver, dir } = await linked();
    const big = path.join(dir, 'big.mp4');
    fs.writeFileSync(big, Buffer.alloc(0));
    fs.truncateSync(big, 17 * 1024 * 1024);
    await expect(driver.send('5215511112222@c.us', { text: 'v', media: { path: big, mimeType: 'video/mp4', fileName: 'big.mp4', kind: 'video' } })).rejects.toMatchObject({ code: 'media_too_large' });
  });

  it('finds a sent message by its marker, says null when absent, and throws when it cannot tell', async () => {
    const { driver, clock } = await linked();
    const before = clock.now();
    const p = driver.send('5215511112222@c.us', { text: 'Hola Ana' });
    await clock.advance(1000);
    const { messageId } = await p;
    const find = async (text: string, after: number) => {
      const q = driver.findSent('5215511112222@c.us', { text, after }).catch((e: unknown) => e);
      await clock.advance(500);
      return q;
    };
    expect(await find('Hola Ana', before)).toEqual({ messageId });
    expect(await find('Hola Beto', before)).toBeNull();
    expect(await find('Hola Ana', clock.now() + 1)).toBeNull();
    const scripted = driver.script([{ afterMs: 0, do: 'uncertain', value: true }]);
    await clock.advance(1);
    await scripted;
    expect(await find('Hola Ana', before)).toMatchObject({ code: 'unknown' });
  });

  it('plays scripted disconnects, conflicts, phone-offline and logouts', async () => {
    const { driver, clock, of, dir } = await linked();
    const script = driver.script([
      { afterMs: 1000, do: 'disconnect' },
      { afterMs: 2000, do: 'reconnect' },
      { afterMs: 3000, do: 'phone_offline' },
      { afterMs: 4000, do: 'phone_online' },
      { afterMs: 5000, do: 'conflict' },
      { afterMs: 6000, do: 'logout' },
    ]);
    await clock.advance(7000);
    await script;
    expect(of('state').map((s) => s.state).slice(-7)).toEqual(['connected', 'connecting', 'connected', 'phone_offline', 'connected', 'conflict', 'logged_out']);
    expect(of('disconnected').map((d) => d.reason)).toEqual(['network', 'conflict', 'logout']);
    expect(fs.existsSync(path.join(dir, 'session-n_demo01', 'simulated-session.json'))).toBe(false);
    await expect(driver.send('x@c.us', { text: 'x' })).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('replays the same run exactly from the same seed', async () => {
    const run = async () => {
      const { driver, clock, events } = await linked({ replyRate: 0.5 }, 99);
      for (let i = 0; i < 20; i++) {
        const p = driver.send(`52155${String(10000000 + i)}@c.us`, { text: `m${i}` });
        await clock.advance(700);
        await p;
      }
      await clock.advance(60_000);
      return events.map((e) => ({ ...e, payload: JSON.stringify(e.payload) }));
    };
    expect(await run()).toEqual(await run());
  });
});
