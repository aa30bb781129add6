import type { EngineContext } from './engine-context';

/** A logout, ban, conflict or unlink: that number stops, its contacts go to the others, and the campaign pauses to say so. */
export function numberLost(ctx: EngineContext, numberId: string, label: string, state: string): void {
  const { repo } = ctx;
  for (const campaignId of repo.campaignsOfNumber(numberId, ['running', 'paused', 'scheduled'])) {
    const left = repo.loseNumber(campaignId, numberId);
    const campaign = repo.row(campaignId);
    if (campaign.kind !== 'campaign') {
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

/**
 * WhatsApp Web changed under a number: it sends nothing (its lane waits for `connected`), and each running campaign
 * left with no number that can send pauses, saying why, so the user sees it stopped on purpose. Whatever was in
 * flight is reconciled when it resumes, never resent blindly.
 */
export function whatsAppChanged(ctx: EngineContext, numberId: string, label: string, connected: (id: string) => boolean): void {
  const { repo } = ctx;
  for (const campaignId of repo.campaignsOfNumber(numberId, ['running'])) {
    if (repo.row(campaignId).kind !== 'campaign') continue; // a one-to-one message (API, answer) waits in the queue
    const others = repo.numbersOf(campaignId).filter((n) => !n.lost && n.id !== numberId && connected(n.id));
    ctx.events.push(campaignId, { kind: 'number_lost', phone: null, name: label, detail: 'wa_changed' });
    if (others.length === 0) repo.transition(campaignId, 'paused', { reason: 'whatsapp_changed', detail: label });
  }
}
