import path from 'node:path';
import { FeedUpdater, UPDATE_FEED_URL, UpdateService } from '../updates';
import type { Base } from './wire-base';

/** The app's own updates: checked from the feed (or installed by the desktop app's updater), never during a campaign. */
export function wireUpdates(b: Base): UpdateService {
  const { config, settings, bus, clock, logger, db } = b;
  const updates = new UpdateService({
    backend:
      config.updates?.backend ??
      new FeedUpdater({
        feedUrl: config.updates?.feedUrl ?? UPDATE_FEED_URL,
        channel: () => settings.get().updateChannel,
        currentVersion: config.version,
        downloadDir: path.join(config.dataDir, 'updates'),
        allowHttpLoopback: config.updates?.allowHttpLoopback,
      }),
    bus,
    clock,
    logger,
    currentVersion: config.version,
    mode: config.updates?.mode ?? 'notify',
    isSending: () => db.prepare("SELECT 1 FROM campaigns WHERE state = 'running' AND kind = 'campaign' LIMIT 1").get() !== undefined,
  });
  // WhatsApp Web changed under a number: the fix may already be published.
  bus.subscribe((envelope) => {
    if (envelope.event === 'numbers.changed' && envelope.payload.state === 'wa_changed') updates.checkNow();
  });
  return updates;
}
