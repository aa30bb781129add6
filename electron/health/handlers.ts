import { AppError } from '../core/app-error';
import type { Clock } from '../core/clock';
import type { HandlerGroup } from '../core/dispatcher';
import type { Db } from '../db';
import type { SettingsStore } from '../settings';
import type { SessionManager } from '../whatsapp';
import type { NumberHealth } from '../../shared/health';
import { numberHealth, numberMonth } from './health';

export function healthHandlers(deps: { db: Db; sessions: SessionManager; settings: SettingsStore; clock: Clock; /** Told when a number's budget changed (the campaigns' engine re-reads it). */ engine: { budgetChanged(numberId: string): void } }) {
  const view = (numberId: string, label: string): NumberHealth => {
    const now = deps.clock.now();
    const month = numberMonth(deps.db, numberId, now, deps.settings.get().timeZone);
    return { numberId, label, month, last7: numberHealth(deps.db, numberId, now, 7, month), last30: numberHealth(deps.db, numberId, now, 30, month) };
  };
  return {
    'health.get': () => deps.sessions.list().map((n) => view(n.id, n.label)),
    'health.setBudget': ({ numberId, budget }) => {
      const number = deps.sessions.list().find((n) => n.id === numberId);
      if (!number) throw new AppError('not_found', `no number ${numberId}`, 'numberId');
      deps.db.prepare('UPDATE numbers SET unanswered_budget = ? WHERE id = ?').run(budget, numberId);
      deps.engine.budgetChanged(numberId);
      return view(numberId, number.label);
    },
  } satisfies HandlerGroup;
}
