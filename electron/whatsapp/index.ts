export * from './driver';
export { SimulatedDriver, type SimStep, type SendFault } from './simulator';
export { SimWorld, DEFAULT_BEHAVIOUR, type SimBehaviour, type DeliveryRecord } from './sim-world';
export { WwebDriver, type WwebClient, type WwebClientOptions, type WwebMessage, type WwebDriverConfig } from './wwebjs';
export { findBrowser, browserCandidates, isBrowserExecutable } from './browser-finder';
export { SessionManager, RESTART_BACKOFF_MS, type DriverFactory, type DriverSpec } from './sessions';
export { NumbersRepo } from './numbers-repo';
export { numbersHandlers } from './handlers';
export { defaultDriverFactory } from './driver-factory';
