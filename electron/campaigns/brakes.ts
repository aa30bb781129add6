import { baselineHealth, campaignHealth, recentBlocks } from '../health/health';
import { statement } from '../db';
import type { EngineContext } from './engine-context';

/** The brake: opt-outs among the last sends (5 to 10 spam reports are known to get a number blocked), and failures. */
export const BRAKE = {
  optOuts: 5,
  optOutWindow: 200,
  failures: 10,
  failureWindow: 50,
  /** People blocking: this share of the campaign's last settled sends still at one tick (of at least `blockSample`). */
  blockShare: 0.25,
  blockSample: 30,
  /** The campaign's own health score below this, or this far below its numbers' 30 days before it. */
  healthFloor: 40,
  healthFall: 30,
};

/** Pauses a running campaign by itself, saying why, when opt-outs or failures pile up. */
export function checkBrakes(ctx: EngineContext, campaignId: number): void {
  const { db, repo } = ctx;
  const campaign = repo.row(campaignId);
  // A message from the user's systems is one send: its number's health shows in the number's score, not in a brake.
  if (campaign.state !== 'running' || campaign.kind !== 'campaign') return;
  repo.outbox.flushReceipts();
  // After the user went on past a brake, only what is sent from then on is judged (else the same opt-outs trip it
  // again within a few sends: nine resumes for the last 50 of a list with a 7 % opt-out rate).
  const since = campaign.brake_since;
  const from = Math.max(campaign.started_at ?? 0, since ?? 0);
  // Both windows read the campaign's last sends from its (campaign, send time) index: the same cost at any size (#34).
  const judged = statement(
    db,
    `SELECT COUNT(*) AS sent, COALESCE(SUM(EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = s.phone AND o.created_at >= ?)), 0) AS optOuts
     FROM (SELECT phone FROM sends INDEXED BY sends_campaign_time WHERE campaign_id = ? AND sending_at >= ? AND sent_at IS NOT NULL ORDER BY sending_at DESC LIMIT ?) s`,
  ).get(from, campaignId, since ?? 0, BRAKE.optOutWindow) as { sent: number; optOuts: number };
  // The detail says how many of how many: the advice differs when it is the list (a high share) or the message.
  if (judged.optOuts >= BRAKE.optOuts) return brake(ctx, campaignId, 'brake_opt_outs', `${judged.optOuts}/${judged.sent}`);
  const failed = statement(
    db,
    `SELECT COUNT(*) FROM (SELECT state FROM sends INDEXED BY sends_campaign_time WHERE campaign_id = ? AND sending_at >= ? AND state IN ('sent', 'delivered', 'read', 'failed') ORDER BY sending_at DESC LIMIT ?)
     WHERE state = 'failed'`,
  )
    .pluck()
    .get(campaignId, since ?? 0, BRAKE.failureWindow) as number;
  if (failed >= BRAKE.failures) return brake(ctx, campaignId, 'brake_failures', String(failed));
  // The blocks and health signals look back over the campaign: after a resume they wait for a fresh sample.
  if (since !== null && judged.sent < BRAKE.blockSample) return;
  checkHealth(ctx, campaignId, campaign.started_at ?? ctx.clock.now());
}

/** The numbers' 30-day health before each campaign, read once per campaign. */
const baselines = new WeakMap<EngineContext, Map<number, number | null>>();

/**
 * The signals that come before a ban, during the campaign: people blocking it (one tick only while others are
 * delivered), and a sharp fall of its health score from what its numbers had before it started.
 */
function checkHealth(ctx: EngineContext, campaignId: number, startedAt: number): void {
  const blocks = recentBlocks(ctx.db, campaignId, ctx.clock.now());
  if (blocks.settled >= BRAKE.blockSample && blocks.oneTick / blocks.settled >= BRAKE.blockShare) {
    return brake(ctx, campaignId, 'brake_blocks', `${Math.round((100 * blocks.oneTick) / blocks.settled)} %`);
  }
  const { health } = campaignHealth(ctx.db, campaignId, ctx.clock.now());
  if (health.score === null) return;
  let byCampaign = baselines.get(ctx);
  if (!byCampaign) baselines.set(ctx, (byCampaign = new Map()));
  if (!byCampaign.has(campaignId)) {
    const numbers = statement(ctx.db, 'SELECT number_id FROM campaign_numbers WHERE campaign_id = ?').pluck().all(campaignId) as string[];
    byCampaign.set(campaignId, baselineHealth(ctx.db, numbers, startedAt).score);
  }
  const before = byCampaign.get(campaignId) ?? null;
  if (health.score < BRAKE.healthFloor || (before !== null && before - health.score >= BRAKE.healthFall)) {
    brake(ctx, campaignId, 'brake_health', before === null ? String(health.score) : `${before} → ${health.score}`);
  }
}

function brake(ctx: EngineContext, campaignId: number, reason: string, detail: string): void {
  ctx.repo.transition(campaignId, 'paused', { reason, detail, needsConfirmation: true });
  ctx.events.push(campaignId, { kind: 'brake', phone: null, name: null, detail: reason });
  ctx.logger.warn({ campaignId, reason, detail }, 'campaign braked');
}
