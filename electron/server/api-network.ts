import type { Dispatcher } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { ApiKeys } from '../api/api-keys';
import type { Settings } from '../../shared/types';
import { startServer, type RunningServer } from './http-server';

type Status = { url: string | null; error: string | null } | null;

/**
 * The automation API on the user's network, when Settings ask for it: a second server for API keys alone (see
 * `host` in startServer), started, moved or stopped as the setting changes; the loopback server never changes.
 */
export class ApiNetwork {
  private server: RunningServer | null = null;
  private current: string | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      dispatcher: Dispatcher;
      bus: EventBus;
      logger: Logger;
      apiKeys: ApiKeys;
      openapi: () => unknown;
      settings: () => Settings;
      report: (status: Status) => void;
    },
  ) {}

  /** Follows the setting now; changes one after another, so two quick edits never leave two servers. */
  apply(): Promise<void> {
    this.queue = this.queue.then(() => this.follow());
    return this.queue;
  }

  private async follow(): Promise<void> {
    const wanted = this.deps.settings().apiNetwork;
    const key = wanted ? `${wanted.address}:${wanted.port}` : null;
    if (key === this.current) return;
    await this.server?.close();
    this.server = null;
    this.current = key;
    if (!wanted) return this.deps.report(null);
    try {
      const { dispatcher, bus, logger, apiKeys, openapi } = this.deps;
      this.server = await startServer({ dispatcher, bus, logger, rendererDir: '', apiKeys, openapi, host: wanted.address, port: wanted.port });
      logger.warn({ address: wanted.address, port: this.server.port }, 'automation API listening on the network');
      this.deps.report({ url: this.server.url, error: null });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      this.deps.logger.error({ err: error, address: wanted.address }, 'automation API could not listen on the network');
      this.deps.report({ url: null, error: code });
    }
  }

  async close(): Promise<void> {
    await this.queue;
    await this.server?.close();
    this.server = null;
  }
}
