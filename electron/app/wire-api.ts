import path from 'node:path';
import { SealedFile } from '../core/sealed-file';
import { ApiKeys, ApiSends, MediaLinks, WebhookFeed, Webhooks } from '../api';
import type { CampaignEngine } from '../campaigns';
import { plainBox } from '../cloud';
import type { MediaStore } from '../messages';
import type { SessionManager } from '../whatsapp';
import type { Base } from './wire-base';

/** The automation API: its keys, messages from the user's systems, media by link, outgoing webhooks and their feed. */
export function wireApi(b: Base, d: { media: MediaStore; sessions: SessionManager; engine: CampaignEngine }) {
  const { db, clock, logger, random, settings, config, bus } = b;
  const keys = new ApiKeys(db, () => clock.now());
  const webhooks = new Webhooks(db, clock, logger, config.version, new SealedFile(path.join(config.dataDir, 'webhook-secrets.json'), config.secretBox ?? plainBox));
  const links = new MediaLinks(db, d.media, () => clock.now(), () => ({ limitBytes: settings.get().mediaLinkLimitMb * 1024 * 1024, timeoutMs: settings.get().mediaLinkTimeoutS * 1000, tempDir: path.join(config.dataDir, 'tmp'), ...config.mediaLinkOptions }));
  const later: { feed?: WebhookFeed } = {};
  const sends = new ApiSends({
    db,
    media: d.media,
    now: () => clock.now(),
    seed: () => random.int(1, 2_000_000_000),
    country: () => 'MX',
    timeZone: () => settings.get().timeZone,
    // Messages from the user's systems are free text: linked phones send them; a Cloud number sends only templates.
    numbers: () => d.sessions.list().filter((n) => n.kind !== 'cloud').map((n) => n.id),
    expectedAt: (sendId) => d.engine.expectedAt(sendId),
    fetchMedia: (url) => links.fetch(url),
    queued: (campaignId) => {
      d.engine.wakeAll();
      later.feed?.track(campaignId);
    },
  });
  const feed = new WebhookFeed(db, bus, webhooks, sends);
  later.feed = feed;
  return { keys, webhooks, sends, feed };
}
