import crypto from 'node:crypto';
import type { Webhook, WebhookDelivery, WebhookEvent } from '../../shared/api';
import { AppError } from '../core/app-error';
import { allows, isLoopbackAddress, literalHost, send } from '../core/outbound';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Db } from '../db';
import type { SealedFile } from '../core/sealed-file';

/** Waits before each new attempt of a delivery that failed: about a day in all, then it is given up. */
export const WEBHOOK_BACKOFF_MS = [10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 43_200_000];
const ATTEMPT_TIMEOUT_MS = 10_000;
/** The loop looks for due deliveries at least this often (and at once when an event is queued). */
const POLL_MS = 5_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** A receiver's answer is read up to this much (only its status matters). */
const ANSWER_LIMIT_BYTES = 64 * 1024;

/** Stripe-style: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; the timestamp stops replays of old bodies. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * https anywhere public; plain http only to this machine (the user's own system beside the app), never with a
 * password; an address of the user's network only when they chose it (`lan`). Names are judged again on the
 * address they resolve to, at every delivery.
 */
export function checkWebhookUrl(raw: string, lan = false): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid_input', 'not a URL', 'url');
  }
  if (url.username || url.password) throw new AppError('invalid_input', 'no user or password in the URL', 'url');
  const literal = literalHost(url);
  const local = LOOPBACK.has(url.hostname) || (literal !== null && isLoopbackAddress(literal));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new AppError('url_needs_https', 'use https (plain http only to 127.0.0.1 or localhost)', 'url');
  if (literal !== null && !allows({ loopback: true, lan }, literal)) throw new AppError('url_refused', `address not allowed: ${literal}`, 'url');
  return url;
}

type DbHook = { id: number; url: string; events: string; active: number; allow_lan: number; created_at: number };
type Due = DbDelivery & { url: string; allow_lan: number };
type DbDelivery = { id: number; webhook_id: number; event: string; body: string; state: WebhookDelivery['state']; attempts: number; next_attempt_at: number; created_at: number; delivered_at: number | null };

/**
 * The user's webhooks and their durable queue: an event is a row before anything tries to POST it; each attempt is
 * recorded; failures are retried with backoff across restarts, and given up (said so) after about a day.
 */
export class Webhooks {
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly version: string,
    /** The signing secrets, by webhook id: out of the database, so a backup never carries them (webhook-secrets.json). */
    private readonly secrets: SealedFile<{ secret: string }>,
  ) {
    // Secrets an older version kept in the database move out, once.
    const kept = db.prepare("SELECT id, secret FROM webhooks WHERE secret != ''").all() as { id: number; secret: string }[];
    for (const row of kept) {
      this.secrets.set(String(row.id), { secret: row.secret });
      db.prepare("UPDATE webhooks SET secret = '' WHERE id = ?").run(row.id);
    }
  }

  /** A webhook's signing secret (a restored one's is set here, after the restore put its row back). */
  setSecret(id: number, secret: string): void {
    this.secrets.set(String(id), { secret });
  }

  create(input: { url: string; events: WebhookEvent[]; allowLan?: boolean }): { webhook: Webhook; secret: string } {
    const lan = input.allowLan === true;
    const url = checkWebhookUrl(input.url, lan).toString();
    const secret = `whsec_${crypto.randomBytes(24).toString('base64url')}`;
    const id = Number(
      this.db.prepare("INSERT INTO webhooks (url, secret, events, allow_lan, created_at) VALUES (?, '', ?, ?, ?)").run(url, JSON.stringify([...new Set(input.events)]), lan ? 1 : 0, this.clock.now()).lastInsertRowid,
    );
    this.setSecret(id, secret);
    return { webhook: this.get(id), secret };
  }

  get(id: number): Webhook {
    const row = this.db.prepare('SELECT * FROM webhooks WHERE id = ?').get(id) as DbHook | undefined;
    if (!row) throw new AppError('not_found', `no webhook ${id}`, 'id');
    return this.view(row);
  }

  list(): Webhook[] {
    return (this.db.prepare('SELECT * FROM webhooks ORDER BY id').all() as DbHook[]).map((r) => this.view(r));
  }

  remove(id: number): void {
    this.get(id);
    this.db.prepare('DELETE FROM webhooks WHERE id = ?').run(id);
    this.secrets.remove(String(id));
  }

  setActive(id: number, active: boolean): Webhook {
    this.get(id);
    this.db.prepare('UPDATE webhooks SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
    if (active) this.kick();
    return this.get(id);
  }

  private view(row: DbHook): Webhook {
    const count = (state: string) => this.db.prepare('SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ? AND state = ?').pluck().get(row.id, state) as number;
    return { id: row.id, url: row.url, events: JSON.parse(row.events) as WebhookEvent[], active: row.active === 1, allowLan: row.allow_lan === 1, createdAt: row.created_at, pending: count('pending'), failed: count('failed') };
  }

  /** Queues an event for every active webhook that wants it, in one transaction; the loop delivers it. */
  enqueue(event: WebhookEvent, data: unknown): number {
    const hooks = (this.db.prepare('SELECT id, events FROM webhooks WHERE active = 1').all() as { id: number; events: string }[]).filter((h) => (JSON.parse(h.events) as string[]).includes(event));
    if (hooks.length === 0) return 0;
    const now = this.clock.now();
    const insert = this.db.prepare("INSERT INTO webhook_deliveries (webhook_id, event, body, state, next_attempt_at, created_at) VALUES (?, ?, ?, 'pending', ?, ?)");
    const setBody = this.db.prepare('UPDATE webhook_deliveries SET body = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const hook of hooks) {
        const id = Number(insert.run(hook.id, event, '', now, now).lastInsertRowid);
        // The delivery's id is the event's id: a receiver that sees it twice (a retry after a lost answer) can tell.
        setBody.run(JSON.stringify({ id: `evt_${id}`, type: event, createdAt: new Date(now).toISOString(), data }), id);
      }
    })();
    this.kick();
    return hooks.length;
  }

  /** A test event to one webhook, to see that the user's system receives and verifies it. */
  ping(id: number): number {
    const hook = this.get(id);
    const now = this.clock.now();
    const delivery = Number(this.db.prepare("INSERT INTO webhook_deliveries (webhook_id, event, body, state, next_attempt_at, created_at) VALUES (?, 'ping', '', 'pending', ?, ?)").run(hook.id, now, now).lastInsertRowid);
    this.db.prepare('UPDATE webhook_deliveries SET body = ? WHERE id = ?').run(JSON.stringify({ id: `evt_${delivery}`, type: 'ping', createdAt: new Date(now).toISOString(), data: {} }), delivery);
    this.kick();
    return delivery;
  }

  deliveries(filter: { webhookId?: number; limit: number }): WebhookDelivery[] {
    const rows = (
      filter.webhookId === undefined
        ? this.db.prepare('SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT ?').all(filter.limit)
        : this.db.prepare('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?').all(filter.webhookId, filter.limit)
    ) as DbDelivery[];
    const attempts = this.db.prepare('SELECT at, status, error, ms FROM webhook_attempts WHERE delivery_id = ? ORDER BY id');
    return rows.map((r) => ({
      id: r.id,
      webhookId: r.webhook_id,
      event: r.event,
      state: r.state,
      attempts: attempts.all(r.id) as WebhookDelivery['attempts'],
      nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
    }));
  }

  /** Sends at once whatever is due; after a restart, whatever was pending goes on from where it was. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run().catch((error: unknown) => this.logger.error({ err: error }, 'webhook loop stopped'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.loop;
  }

  /** Look now (an event was queued, or a webhook turned on). */
  kick(): void {
    this.again = true;
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  private loop: Promise<void> | null = null;
  private again = false;
  private wakeUp: (() => void) | null = null;

  /** Sleeps on the app's clock (a test replays a day of retries in seconds) until the next delivery is due, or a kick. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      this.again = false;
      try {
        await this.deliverDue();
      } catch (error) {
        this.logger.error({ err: error }, 'webhook deliveries failed');
      }
      if (this.stopped || this.again) continue;
      const next = this.db.prepare("SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id AND w.active = 1 WHERE d.state = 'pending'").pluck().get() as number | null;
      const wait = next === null ? POLL_MS : Math.max(0, Math.min(POLL_MS, next - this.clock.now()));
      if (wait === 0) continue;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        void this.clock.sleep(wait).then(resolve);
      });
    }
  }

  private async deliverDue(): Promise<void> {
    const due = this.db
      .prepare(
        `SELECT d.*, w.url, w.allow_lan FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND w.active = 1 ORDER BY d.id LIMIT 50`,
      )
      .all(this.clock.now()) as Due[];
    // Oldest first, one at a time; a delivery waiting for its retry does not hold the others back, so a receiver
    // may get a message's `queued` after its `sent`: each event says its state and when it happened.
    for (const delivery of due) {
      if (this.stopped) return;
      await this.attempt(delivery);
    }
  }

  private async attempt(delivery: Due): Promise<void> {
    const started = performance.now();
    const timestamp = Math.floor(this.clock.now() / 1000);
    const outcome = await post(delivery.url, delivery.allow_lan === 1, delivery.body, {
      'Content-Type': 'application/json',
      'User-Agent': `WhatzMe-Desktop/${this.version}`,
      'X-WhatzMe-Event': delivery.event,
      'X-WhatzMe-Delivery': String(delivery.id),
      'X-WhatzMe-Timestamp': String(timestamp),
      'X-WhatzMe-Signature': signature(this.secrets.get(String(delivery.webhook_id))?.secret ?? '', timestamp, delivery.body),
    });
    const ms = performance.now() - started;
    if (this.stopped && outcome.error === 'aborted') return;
    const now = this.clock.now();
    const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const attempts = delivery.attempts + 1;
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO webhook_attempts (delivery_id, at, status, error, ms) VALUES (?, ?, ?, ?, ?)').run(delivery.id, now, outcome.status, outcome.error, ms);
      if (ok) this.db.prepare("UPDATE webhook_deliveries SET state = 'delivered', attempts = ?, delivered_at = ? WHERE id = ?").run(attempts, now, delivery.id);
      else {
        const wait = WEBHOOK_BACKOFF_MS[attempts - 1];
        if (wait === undefined) this.db.prepare("UPDATE webhook_deliveries SET state = 'failed', attempts = ? WHERE id = ?").run(attempts, delivery.id);
        else this.db.prepare('UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ? WHERE id = ?').run(attempts, now + wait, delivery.id);
      }
    })();
    if (!ok) this.logger.warn({ delivery: delivery.id, status: outcome.status, error: outcome.error, attempts }, 'webhook delivery failed');
  }
}

/**
 * One POST with a time limit; redirects are not followed (a receiver that moved says so by failing). Its error is
 * the receiver's HTTP status, or `no_answer` / `address_refused`: never which way a connection failed.
 */
async function post(target: string, lan: boolean, body: string, headers: Record<string, string>): Promise<{ status: number | null; error: string | null }> {
  let url: URL;
  try {
    url = checkWebhookUrl(target, lan);
  } catch {
    return { status: null, error: 'address_refused' };
  }
  const outcome = await send(url, { method: 'POST', headers, body, rule: { loopback: true, lan }, timeoutMs: ATTEMPT_TIMEOUT_MS, limitBytes: ANSWER_LIMIT_BYTES });
  if (outcome.ok) return { status: outcome.status, error: null };
  if (outcome.error === 'http_error' || outcome.error === 'too_large') return { status: outcome.status, error: outcome.status !== null && outcome.status >= 300 ? `HTTP ${outcome.status}` : null };
  return { status: null, error: outcome.error };
}
