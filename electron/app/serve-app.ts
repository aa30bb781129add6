import type { App } from './create-app';
import { openApiDocument } from '../api/openapi';
import { ApiNetwork } from '../server/api-network';
import { startServer, type RunningServer } from '../server/http-server';
import { PREFERRED_PORT, loadWebAccess, saveWebAccess } from '../server/web-access';
import { startWebhookServer, WEBHOOK_PORT } from '../cloud';

export type ServedApp = { server: RunningServer; network: ApiNetwork; portChanged: boolean; close(): Promise<void> };

/**
 * The contract over loopback HTTP for one app: the web UI and the automation API on the same address every run
 * (token and port kept in the data folder), and the API on the user's network when Settings ask for it. Web mode
 * and the desktop app both serve it, so the user's systems reach the app the same way in either.
 */
export async function serveApp(
  app: App,
  opts: { dataDir: string; rendererDir: string; version: string; askedPort: number | null; renewToken?: boolean; webhookPort?: number },
): Promise<ServedApp> {
  const access = loadWebAccess(opts.dataDir, opts.renewToken);
  const port = opts.askedPort ?? access.port ?? PREFERRED_PORT;
  const openapi = () => openApiDocument(opts.version);
  const serve = (on: number) =>
    startServer({
      dispatcher: app.dispatcher,
      bus: app.bus,
      logger: app.logger,
      rendererDir: opts.rendererDir,
      files: app.files,
      media: (id) => app.media.file(id),
      port: on,
      token: access.token,
      apiKeys: app.apiKeys,
      openapi,
    });
  let server: RunningServer;
  let portChanged = false;
  try {
    server = await serve(port);
  } catch (error) {
    // The kept port is taken by another program: any free one this time (a port asked for is not replaced).
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || opts.askedPort !== null) throw error;
    server = await serve(0);
    portChanged = true;
  }
  try {
    saveWebAccess(opts.dataDir, { token: access.token, port: opts.askedPort === null && !portChanged ? server.port : access.port });
  } catch (error) {
    await server.close();
    throw error;
  }
  app.setApiUrl(`http://127.0.0.1:${server.port}`);
  const network = new ApiNetwork({
    dispatcher: app.dispatcher,
    bus: app.bus,
    logger: app.logger,
    apiKeys: app.apiKeys,
    openapi,
    settings: () => app.settings.get(),
    report: (status) => app.setApiNetwork(status),
  });
  await network.apply();
  // Meta's webhooks for Cloud numbers, on their own port for the user's tunnel. Taken by another program: the
  // Cloud numbers say they have no receiver (the relay still works), the rest of the app goes on.
  const hooks = await startWebhookServer(app.cloud.webhooks, opts.webhookPort ?? WEBHOOK_PORT).catch((error: unknown) => {
    app.logger.warn({ err: error }, 'the Cloud API webhook receiver could not start');
    return null;
  });
  app.cloud.setWebhookUrl(hooks?.url ?? null);
  const off = app.bus.subscribe((envelope) => {
    if (envelope.event === 'settings.changed') void network.apply();
  });
  return {
    server,
    network,
    portChanged,
    async close() {
      off();
      await hooks?.close();
      await network.close();
      await server.close();
    },
  };
}
