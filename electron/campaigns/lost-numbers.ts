import type { EngineContext } from './engine-context';

/** A logout, ban, conflict or unlink: that number stops, its contacts go to the others, and the campaign pauses to say so. */
export function numberLost(ctx: EngineContext, numberId: string, label: string, state: string): void {
  const { repo } = ctx;
  for (const campaignId of repo.campaignsOfNumber(numberId, ['running', 'paused', 'scheduled'])) {
    const left = repo.loseNumber(campaignId, numberId);
    const campaign = repo.row(campaignId);
    if (campaign.kind === 'api') {
      // A message from the user's systems goes on from another number by itself; with none left it fails, said in
      // its status (and its webhook), instead of waiting for a confirmation nobody is there to give.
      if (left === 0) repo.failApi(campaignId, 'no_numbers');
      ctx.markDirty(campaignId);
      continue;
    }
    if (campaign.state === 'running' || campaign.state === 'scheduled') {
      repo.transition(campaignId, 'paused', { reason: left > 0 ? 'number_lost' : 'no_numbers', detail: label, needsConfirmation: true });
    }
    ctx.events.push(campaignId, { kind: 'number_lost', phone: null, name: label, detail: state });
  }
}
