import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { CloudNumbersRepo } from './cloud-numbers-repo';
import type { CloudWebhooks } from './cloud-webhooks';

/** How often a relay is asked for what Meta sent it, and how long after a failure. */
export const RELAY_EVERY_MS = 5_000;
const RELAY_RETRY_MS = [5_000, 15_000, 60_000, 300_000];

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
    private readonly deps: { repo: CloudNumbersRepo; webhooks: CloudWebhooks; clock: Clock; logger: Logger; fetch?: typeof fetch },
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
    const response = await (this.deps.fetch ?? fetch)(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) });
    if (!response.ok) throw new Error(`relay answered ${response.status}`);
    const answer = (await response.json()) as { deliveries?: { body?: unknown; signature?: unknown }[]; cursor?: unknown };
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
