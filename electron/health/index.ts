export { healthHandlers } from './handlers';
export { numberHealth, numberMonth, campaignHealth } from './health';
export { UnansweredCounter, DEFAULT_BUDGET } from './unanswered';
