export { ApiKeys, KEY_PREFIX, SEND_SCOPE, type KeyHolder } from './api-keys';
export { ApiSends } from './api-sends';
export { MediaLinks, download, isPublicAddress, sweepLinkDownloads, type FetchOptions } from './media-link';
export { WebhookFeed } from './webhook-feed';
export { Webhooks, signature, checkWebhookUrl, WEBHOOK_BACKOFF_MS } from './webhooks';
export { apiHandlers } from './handlers';
export { openApiDocument } from './openapi';
