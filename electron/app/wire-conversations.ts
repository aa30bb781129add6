import type { WebhookFeed } from '../api';
import type { CampaignEngine } from '../campaigns';
import type { CloudNumbersRepo } from '../cloud';
import { AutoReplier, ChatAnswers, ConversationsRepo } from '../conversations';
import type { MediaStore } from '../messages';
import type { SessionManager } from '../whatsapp';
import type { Base } from './wire-base';

/** Conversations: the chats, the answers sent from them (through the outbox) and the automatic replies. */
export function wireConversations(b: Base, d: { media: MediaStore; sessions: SessionManager; engine: CampaignEngine; feed: WebhookFeed; cloud: CloudNumbersRepo }) {
  const { db, clock, random, settings, logger } = b;
  const repo = new ConversationsRepo(db, d.media);
  const answers = new ChatAnswers({
    db,
    media: d.media,
    now: () => clock.now(),
    seed: () => random.int(1, 2_000_000_000),
    timeZone: () => settings.get().timeZone,
    numbers: () => d.sessions.list().map((n) => ({ id: n.id, kind: n.kind })),
    queued: (campaignId) => {
      d.engine.wakeAll();
      d.feed.trackAnswer(campaignId);
    },
    waTemplate: (id) => d.cloud.template(id),
    wabaOf: (numberId) => d.cloud.get(numberId)?.waba_id,
  });
  const autoReplier = new AutoReplier({ db, answers, settings: () => settings.get(), now: () => clock.now(), logger });
  return { repo, answers, autoReplier };
}
