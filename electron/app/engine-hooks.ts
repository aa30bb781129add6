import type { EventBus } from '../core/event-bus';
import type { CampaignEngine } from '../campaigns';
import type { RecurringRuns } from '../campaigns/recurring';
import type { ContactsRepo } from '../contacts';
import type { AutoReplier, ConversationsRepo } from '../conversations';
import type { AutoTags } from '../segments';
import type { WebhookFeed } from '../api';

/**
 * What the engine tells the other domains: a reply (to the chat, the auto-replies, the automatic tags), first reads
 * (the tags), each turn (the recurring campaigns), each change of a campaign (the webhooks' feed, and a chat whose
 * answer it is); and opt-outs made anywhere reach the automatic tags.
 */
export function wireEngineHooks(d: { engine: CampaignEngine; bus: EventBus; autoReplier: AutoReplier; autoTags: AutoTags; recurring: RecurringRuns; contacts: ContactsRepo; feed: WebhookFeed; conversations: ConversationsRepo }): void {
  const { engine, bus, autoReplier, autoTags, recurring, contacts, feed, conversations } = d;
  engine.onReply((reply) => {
    if (reply.phone) bus.emit('conversations.changed', { phone: reply.phone, reason: 'reply' });
    autoReplier.onReply(reply);
    if (reply.phone && !reply.optOut) autoTags.replied(reply.campaignId, reply.phone);
  });
  engine.onReads((reads) => autoTags.read(reads));
  engine.onTick(() => recurring.poke());
  contacts.optOutListeners.push((phone, optedOut) => (optedOut ? autoTags.optedOut(phone) : autoTags.optedIn(phone)));
  // An answer's campaign is its one send: each of its changes (sent, delivered, read) refreshes that chat.
  const answerPhones = new Map<number, string | null>();
  engine.onCampaignChanged = (id) => {
    feed.campaignChanged(id);
    let phone = answerPhones.get(id);
    if (phone === undefined) {
      phone = conversations.phoneOfAnswerCampaign(id);
      if (answerPhones.size > 5000) answerPhones.clear();
      answerPhones.set(id, phone);
    }
    if (phone) bus.emit('conversations.changed', { phone, reason: 'receipt' });
  };
}
