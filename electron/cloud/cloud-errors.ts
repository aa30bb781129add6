import { DriverError, type DriverErrorCode } from '../whatsapp/driver';
import { GraphError } from './graph-client';

/**
 * Meta's error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes) as the app's reasons.
 * `final`: the send is over (failed with that reason); otherwise it is retried later, like a linked phone's.
 */
const CODES: Record<number, { reason: DriverErrorCode; final: boolean }> = {
  131026: { reason: 'not_on_whatsapp', final: true }, // message undeliverable: not on WhatsApp, or an old app
  131049: { reason: 'cloud_marketing_limit', final: true }, // Meta keeps marketing to this person under its own limit
  131047: { reason: 'cloud_reengagement', final: true }, // more than 24 h since they wrote: a template is needed
  131050: { reason: 'cloud_marketing_limit', final: true }, // the person stopped marketing messages from businesses
  130429: { reason: 'cloud_rate_limit', final: false }, // over the number's throughput
  131056: { reason: 'cloud_pair_rate', final: false }, // too many to the same person in a short time
  131048: { reason: 'cloud_spam_limit', final: false }, // spam rate limit: the number's quality fell
  131042: { reason: 'cloud_payment', final: true }, // the business's payment method
  131051: { reason: 'cloud_failed', final: true }, // unsupported message type
  131052: { reason: 'cloud_failed', final: true }, // media download error
  131053: { reason: 'cloud_failed', final: true }, // media upload error
  131000: { reason: 'cloud_failed', final: false }, // something went wrong (Meta's own)
  131016: { reason: 'cloud_failed', final: false }, // service unavailable
  132000: { reason: 'cloud_template', final: true }, // parameter count does not match the template
  132001: { reason: 'cloud_template', final: true }, // template does not exist in that language
  132005: { reason: 'cloud_template', final: true }, // translated text too long
  132007: { reason: 'cloud_template', final: true }, // template format character policy violated
  132012: { reason: 'cloud_template', final: true }, // parameter format mismatch
  132015: { reason: 'cloud_template', final: true }, // template paused for low quality
  132016: { reason: 'cloud_template', final: true }, // template disabled
  190: { reason: 'cloud_auth', final: true }, // access token expired or invalid
  10: { reason: 'cloud_auth', final: true }, // permission denied
  200: { reason: 'cloud_auth', final: true }, // permission denied
  4: { reason: 'cloud_rate_limit', final: false }, // the app's API calls
  80007: { reason: 'cloud_rate_limit', final: false }, // the WABA's rate limit
  133010: { reason: 'cloud_auth', final: true }, // phone number not registered
};

/** Reasons that end a send at once, whatever code gave them (the outbox's terminal failures). */
export const FINAL_REASONS: ReadonlySet<DriverErrorCode> = new Set(Object.values(CODES).filter((c) => c.final).map((c) => c.reason).filter((r) => r !== 'cloud_failed'));

export function reasonOf(code: number | null): { reason: DriverErrorCode; final: boolean } {
  return (code !== null && CODES[code]) || { reason: 'cloud_failed', final: false };
}

/** Numbers whose token or account is the problem: the number shows it, rather than each send failing alone. */
export function isAccountError(reason: DriverErrorCode): boolean {
  return reason === 'cloud_auth' || reason === 'cloud_payment';
}

/**
 * A failed `POST /messages` as the outbox understands it. An answer with an error means Meta did not take the
 * message (safe to retry); no answer at all (network, timeout) may mean it did: `maybeSent`, asked about first.
 */
export function sendError(error: unknown): DriverError {
  if (!(error instanceof GraphError)) return new DriverError('unknown', String(error), true);
  if (error.network) return new DriverError('network', error.message, true);
  // A final reason ends the send at once (Recovery's terminal codes); the others are retried with its backoff.
  return new DriverError(reasonOf(error.code).reason, `${error.code}: ${error.message}`, false);
}
