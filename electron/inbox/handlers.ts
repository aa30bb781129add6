import { sentCount } from '../../shared/campaigns';
import type { CampaignEngine, CampaignsRepo } from '../campaigns';
import type { HandlerGroup } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Clock } from '../core/clock';
import type { Db } from '../db';
import type { SettingsStore } from '../settings';
import type { SessionManager } from '../whatsapp';
import { dayBounds } from '../campaigns';
import { numberHealth, numberMonth } from '../health';
import type { Inbox } from './inbox';
import type { ConversationsRepo } from '../conversations';

const TROUBLE = new Set(['logged_out', 'banned', 'conflict', 'error', 'phone_offline', 'wa_changed']);

export function inboxHandlers(deps: { db: Db; inbox: Inbox; bus: EventBus; sessions: SessionManager; campaigns: CampaignsRepo; engine: CampaignEngine; settings: SettingsStore; clock: Clock; conversations: ConversationsRepo }) {
  return {
    'inbox.list': ({ offset, limit, ...filter }) => deps.inbox.list(filter, offset, limit),
    'inbox.setHandled': ({ ids, handled }) => {
      const changed = deps.inbox.setHandled(ids, handled);
      deps.bus.emit('inbox.changed', { reason: 'reply' });
      return { changed };
    },
    'inbox.decide': ({ id, optOut }) => {
      deps.engine.decideReply(id, optOut);
      return { ok: true as const };
    },
    'dashboard.get': () => {
      const zone = deps.settings.get().timeZone;
      const day = dayBounds(deps.clock.now(), zone);
      const numbers = deps.sessions.list();
      // The user's campaigns only: an API message or an answer is one send, never "a campaign running".
      const active = deps.campaigns.ids(['running', 'paused', 'scheduled']).filter((id) => deps.campaigns.row(id).kind === 'campaign').map((id) => deps.campaigns.view(id));
      const months = new Map(numbers.map((n) => [n.id, numberMonth(deps.db, n.id, deps.clock.now(), zone)]));
      const caps = new Map<string, number>();
      for (const c of active) for (const n of c.numbers) caps.set(n.id, Math.max(caps.get(n.id) ?? 0, deps.engine.dailyCapOf(c.id, n.id)));
      return {
        numbers: numbers.map((n) => {
          const month = months.get(n.id) ?? numberMonth(deps.db, n.id, deps.clock.now(), zone);
          const health = numberHealth(deps.db, n.id, deps.clock.now(), 7, month);
          return {
            id: n.id,
            label: n.label,
            phone: n.phone,
            state: n.state,
            kind: n.kind,
            sentToday: deps.campaigns.outbox.wentOutBetween(n.id, day.start, day.end),
            dailyCap: caps.get(n.id) ?? 6000,
            unanswered: month.unanswered,
            budget: month.budget,
            health: health.score,
            advice: health.advice,
            limits: n.limits,
          };
        }),
        running: active
          .filter((c) => c.state === 'running' || c.state === 'scheduled')
          .map((c) => ({ id: c.id, name: c.name, state: c.state, sent: sentCount(c.counts), total: c.total - c.counts.skipped })),
        unhandledReplies: deps.inbox.unhandled(),
        conversations: deps.conversations.stats(deps.clock.now()),
        doubtfulReplies: deps.inbox.doubtful(),
        optOutsToday: deps.db.prepare("SELECT COUNT(*) FROM opt_outs WHERE source = 'reply' AND created_at >= ?").pluck().get(day.start) as number,
        warnings: [
          ...active.filter((c) => c.state === 'paused' && c.needsConfirmation).map((c) => ({ kind: 'braked' as const, campaignId: c.id, name: c.name, reason: c.pauseReason ?? '' })),
          ...numbers.filter((n) => TROUBLE.has(n.state)).map((n) => ({ kind: 'number' as const, numberId: n.id, label: n.label, state: n.state })),
          ...numbers.flatMap((n) => {
            const month = months.get(n.id);
            return month?.near && n.kind !== 'cloud' ? [{ kind: 'budget_near' as const, numberId: n.id, label: n.label, unanswered: month.unanswered, budget: month.budget, monthEnd: month.monthEnd }] : [];
          }),
        ],
        hasContacts: (deps.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get() as number) > 0,
        hasMessages: (deps.db.prepare('SELECT COUNT(*) FROM templates').pluck().get() as number) > 0,
        hasCampaigns: (deps.db.prepare("SELECT COUNT(*) FROM campaigns WHERE state != 'draft' AND kind = 'campaign'").pluck().get() as number) > 0,
      };
    },
  } satisfies HandlerGroup;
}
