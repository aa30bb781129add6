import { AppError } from '../core/app-error';

export type CampaignState = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';

/** The only ways a campaign's state may change; everything else is refused and changes nothing. */
export const TRANSITIONS: Record<CampaignState, readonly CampaignState[]> = {
  draft: ['scheduled', 'running', 'cancelled'],
  scheduled: ['running', 'paused', 'cancelled'],
  running: ['paused', 'completed', 'cancelled'],
  // Resuming a campaign paused before its scheduled start makes it wait for that start again.
  paused: ['running', 'scheduled', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function assertTransition(from: CampaignState, to: CampaignState): void {
  if (!TRANSITIONS[from].includes(to)) throw new AppError('illegal_transition', `a ${from} campaign cannot become ${to}`, 'state');
}
