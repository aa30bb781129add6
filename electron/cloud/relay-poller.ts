import type { Clock } from '../core/clock';
import { AppError } from '../core/app-error';
import { PUBLIC_ONLY, allows, literalHost, send, type AddressRule } from '../core/outbound';
import type { Logger } from '../core/logger';
import type { CloudNumbersRepo } from './cloud-numbers-repo';
import type { CloudWebhooks } from './cloud-webhooks';

/** How often a relay is asked for what Meta sent it, and how long after a failure. */
export const RELAY_EVERY_MS = 5_000;
const RELAY_RETRY_MS = [5_000, 15_000, 60_000, 300_000];
/** A relay's answer is read up to this much: a batch of Meta's webhooks is kilobytes, never hundreds of megabytes. */
export const RELAY_ANSWER_LIMIT = 8 * 1024 * 1024;
const RELAY_TIMEOUT_MS = 20_000;

/** Where a relay may be: https, on a public address by default (the verify token travels with every request). */
export type RelayOptions = { rule?: AddressRule; ca?: string | Buffer };

/** Refuses a relay address before it is kept: https only, on an address the rule allows. */
export function checkRelayUrl(raw: string, rule: AddressRule): string {
  const url = new URL(raw);
  if (url.protocol !== 'https:') throw new AppError('url_needs_https', 'the relay must be https: the verify token travels with every request', 'url');
  const literal = literalHost(url);
  if (literal !== null && !allows(rule, literal)) throw new AppError('url_refused', `address not allowed: ${literal}`, 'url');
  return url.toString();
}

/**
 * A desktop has no public URL: a relay of the user's own (a small server or function with one) takes Meta's
 * webhooks and keeps them as received, and the app asks it for them (docs/CLOUD.md describes the interface):
 *
 *   GET <relay>?after=<cursor>   Authorization: Bearer <verify token>
 *   → 200 { "deliveries": [{ "body": "<Meta's bytes, as a string>", "signature": "sha256=…" }], "cursor": "…" }
 *
 * Each delivery goes through the same check as one from Meta itself (its X-Hub-Signature-256 with the app secret):
 * a relay cannot make up a receipt or a reply. The cursor is kept, so a restart asks only for what is new.
 */
export class RelayPoller {
  private stopped = true;
  private loop: Promise<void> | null = null;
  private failures = new Map<string, number>();
  private nextAt = new Map<string, number>();

  constructor(
    private readonly deps: { repo: CloudNumbersRepo; webhooks: CloudWebhooks; clock: Clock; logger: Logger; outbound?: RelayOptions },
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.loop;
  }

  /** Look now (a relay was just set), or stop waiting (the app closes). */
  kick(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  private wakeUp: (() => void) | null = null;

  /** One round over every number with a relay (tests call it directly). */
  async pollOnce(): Promise<void> {
    for (const account of this.deps.repo.all()) {
      if (!account.relay_url || (this.nextAt.get(account.number_id) ?? 0) > this.deps.clock.now()) continue;
      try {
        await this.poll(account.number_id, account.relay_url, account.relay_cursor, account.verify_token);
        this.failures.delete(account.number_id);
      } catch (error) {
        const n = this.failures.get(account.number_id) ?? 0;
        this.failures.set(account.number_id, n + 1);
        this.nextAt.set(account.number_id, this.deps.clock.now() + (RELAY_RETRY_MS[Math.min(n, RELAY_RETRY_MS.length - 1)] ?? 300_000));
        this.deps.logger.warn({ err: error, numberId: account.number_id }, 'cloud relay not reached');
      }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.pollOnce().catch((error: unknown) => this.deps.logger.error({ err: error }, 'cloud relay round failed'));
      if (this.stopped) break;
      // On the app's clock (a test's manual one too), cut short by a kick.
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        void this.deps.clock.sleep(RELAY_EVERY_MS).then(resolve);
      });
    }
  }

  private async poll(numberId: string, relay: string, cursor: string | null, token: string): Promise<void> {
    const url = new URL(relay);
    if (cursor) url.searchParams.set('after', cursor);
    // The same rule on the address connected to, after DNS: a name that resolves inward is refused at each poll.
    if (url.protocol !== 'https:') throw new Error('relay: not https');
    const outcome = await send(url, {
      method: 'GET',
      headers: { Authorization: `Bearer ${token}` },
      rule: this.deps.outbound?.rule ?? PUBLIC_ONLY,
      ca: this.deps.outbound?.ca,
      timeoutMs: RELAY_TIMEOUT_MS,
      limitBytes: RELAY_ANSWER_LIMIT,
    });
    if (!outcome.ok) throw new Error(`relay: ${outcome.error}${outcome.status !== null ? ` (HTTP ${outcome.status})` : ''}`);
    const answer = JSON.parse(outcome.body.toString('utf8')) as { deliveries?: { body?: unknown; signature?: unknown }[]; cursor?: unknown };
    let refused = 0;
    for (const delivery of answer.deliveries ?? []) {
      if (typeof delivery.body !== 'string') continue;
      const result = this.deps.webhooks.receive(Buffer.from(delivery.body, 'utf8'), typeof delivery.signature === 'string' ? delivery.signature : undefined);
      if (result.status !== 200) refused += 1;
    }
    if (refused > 0) this.deps.logger.warn({ numberId, refused }, 'relay deliveries with a bad signature were ignored');
    if (typeof answer.cursor === 'string' && answer.cursor) this.deps.repo.setRelayCursor(numberId, answer.cursor);
  }
}
