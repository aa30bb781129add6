export { UPDATE_FEED_URL, compareVersions, feedFileName, parseFeed, type FeedRelease, type UpdateChannel } from './feed';
export { FeedUpdater, type UpdateBackend } from './feed-updater';
export { UpdateService, CHECK_EVERY_MS } from './update-service';
export { updatesHandlers } from './handlers';
export { updaterFailure } from './updater-errors';
