import { PUBLIC_ONLY } from '../core/outbound';
import { CloudAccounts, CloudDriver, CloudNumbersRepo, CloudSecrets, CloudUsers, CloudWebhooks, GraphClient, RelayPoller, plainBox } from '../cloud';
import type { SessionManager } from '../whatsapp';
import type { Base } from './wire-base';

/** Cloud API numbers, first what their drivers need (before the sessions exist), then what needs the sessions. */
export function cloudDrivers(b: Base) {
  const repo = new CloudNumbersRepo(b.db);
  const users = new CloudUsers(b.db, () => b.clock.now());
  const secrets = new CloudSecrets(b.config.dataDir, b.config.secretBox ?? plainBox);
  const graph = (token: () => string) => new GraphClient({ token, baseUrl: b.config.cloud?.graphUrl, fetch: b.config.cloud?.fetch });
  const driver = (numberId: string) =>
    new CloudDriver({ numberId, db: b.db, repo, graph: secrets.get(numberId) ? graph(() => secrets.get(numberId)?.token ?? '') : null, clock: b.clock, logger: b.logger, users });
  return { repo, users, secrets, graph, driver };
}

export function cloudServices(b: Base, drivers: ReturnType<typeof cloudDrivers>, sessions: SessionManager) {
  const { repo, users, secrets, graph } = drivers;
  const { db, clock, logger, bus, config } = b;
  const webhooks = new CloudWebhooks({
    db, repo, secrets, clock, logger, users,
    driverOf: (id) => { const d = sessions.driver(id); return d instanceof CloudDriver ? d : undefined; },
    limitChanged: (id) => void accounts.check(id).then(() => sessions.republish(id), (error: unknown) => logger.warn({ err: error, numberId: id }, 'cloud limit not checked again')),
  });
  let webhookUrl: string | null = null;
  const accounts = new CloudAccounts({
    repo,
    secrets,
    sessions,
    graph: (token) => graph(() => token),
    clock,
    logger,
    webhookUrl: () => webhookUrl,
    lastWebhookAt: (id) => webhooks.lastWebhookAt(id),
    relayRule: config.relay?.rule ?? PUBLIC_ONLY,
  });
  const relay = new RelayPoller({ repo, webhooks, clock, logger, outbound: config.relay });
  // A Cloud number that leaves the app takes its token and app secret with it.
  bus.subscribe((envelope) => {
    if (envelope.event === 'numbers.removed') accounts.forget(envelope.payload.id);
  });
  return {
    webhooks,
    accounts,
    relay,
    setWebhookUrl: (url: string | null) => {
      webhookUrl = url;
    },
  };
}
