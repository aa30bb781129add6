import type { EngineContext } from './engine-context';

/** The brake: opt-outs among the last sends (5 to 10 spam reports are known to get a number blocked), and failures. */
export const BRAKE = { optOuts: 5, optOutWindow: 200, failures: 10, failureWindow: 50 };

/** Pauses a running campaign by itself, saying why, when opt-outs or failures pile up. */
export function checkBrakes(ctx: EngineContext, campaignId: number): void {
  const { db, repo } = ctx;
  const campaign = repo.row(campaignId);
  if (campaign.state !== 'running') return;
  repo.outbox.flushReceipts();
  const optOuts = db
    .prepare(
      `SELECT COUNT(*) FROM (SELECT phone FROM sends WHERE campaign_id = ? AND sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT ?) s
       JOIN opt_outs o ON o.phone = s.phone AND o.created_at >= ?`,
    )
    .pluck()
    .get(campaignId, BRAKE.optOutWindow, campaign.started_at ?? 0) as number;
  if (optOuts >= BRAKE.optOuts) return brake(ctx, campaignId, 'brake_opt_outs', String(optOuts));
  const failed = db
    .prepare(
      `SELECT COUNT(*) FROM (SELECT state FROM sends WHERE campaign_id = ? AND state IN ('sent', 'delivered', 'read', 'failed') ORDER BY updated_at DESC LIMIT ?)
       WHERE state = 'failed'`,
    )
    .pluck()
    .get(campaignId, BRAKE.failureWindow) as number;
  if (failed >= BRAKE.failures) brake(ctx, campaignId, 'brake_failures', String(failed));
}

function brake(ctx: EngineContext, campaignId: number, reason: string, detail: string): void {
  ctx.repo.transition(campaignId, 'paused', { reason, detail, needsConfirmation: true });
  ctx.events.push(campaignId, { kind: 'brake', phone: null, name: null, detail: reason });
  ctx.logger.warn({ campaignId, reason, detail }, 'campaign braked');
}
