export { CampaignsRepo } from './campaigns-repo';
export { CampaignEngine, BRAKE, MAX_ATTEMPTS } from './engine';
export { campaignsHandlers } from './handlers';
export { estimateCampaign } from './estimate';
export { nextAllowed, drawGap, PRESETS, HARD_PER_DAY, HARD_PER_MINUTE, warmupCap, customPace } from './pacer';
export { assertTransition, TRANSITIONS, type CampaignState } from './state-machine';
export { isOptOut, normalizeReply } from './opt-out';
export { dayBounds } from '../../shared/time-zone';
