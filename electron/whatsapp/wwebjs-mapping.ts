import type { AckState, DriverErrorCode, DriverEvents, NumberState } from './driver';

/** whatsapp-web.js `message_ack` values (MessageAck) to ours. */
export function mapAck(ack: number): AckState {
  switch (ack) {
    case -1:
      return 'error';
    case 0:
      return 'pending';
    case 1:
      return 'sent';
    case 2:
      return 'delivered';
    case 3:
      return 'read';
    case 4:
      return 'played';
    default:
      return ack > 4 ? 'played' : 'pending';
  }
}

/** whatsapp-web.js `change_state` values (WAState) to our number states. */
export function mapWaState(state: string): { state: NumberState; error?: DriverErrorCode } {
  switch (state) {
    case 'CONNECTED':
      return { state: 'connected' };
    case 'OPENING':
    case 'PAIRING':
      return { state: 'connecting' };
    case 'TIMEOUT':
      return { state: 'phone_offline' };
    case 'CONFLICT':
      return { state: 'conflict' };
    case 'UNPAIRED':
    case 'UNPAIRED_IDLE':
      return { state: 'logged_out' };
    case 'TOS_BLOCK':
    case 'SMB_TOS_BLOCK':
      return { state: 'banned' };
    case 'PROXYBLOCK':
      return { state: 'error', error: 'network' };
    default:
      return { state: 'error', error: 'unknown' };
  }
}

/** whatsapp-web.js `disconnected` reasons (WAState or "LOGOUT") to ours. */
export function mapDisconnect(raw: string): { event: DriverEvents['disconnected']; state: NumberState; error?: DriverErrorCode } {
  switch (raw) {
    case 'LOGOUT':
      return { event: { reason: 'logout', raw }, state: 'logged_out' };
    case 'UNPAIRED':
    case 'UNPAIRED_IDLE':
      return { event: { reason: 'unpaired', raw }, state: 'logged_out' };
    case 'CONFLICT':
      return { event: { reason: 'conflict', raw }, state: 'conflict' };
    case 'TOS_BLOCK':
    case 'SMB_TOS_BLOCK':
      return { event: { reason: 'banned', raw }, state: 'banned' };
    // The library has destroyed its browser (Client.js onAppStateChangedEvent): nothing is connecting any more. The
    // network is what failed, so the session manager tries again, further apart, as when there is no internet.
    case 'TIMEOUT':
    case 'PROXYBLOCK':
    case 'NAVIGATION':
      return { event: { reason: 'network', raw }, state: 'error', error: 'network' };
    default:
      return { event: { reason: 'other', raw }, state: 'error' };
  }
}

/** What a start failure means for the user: the browser could not run, or WhatsApp Web could not be reached. */
export function classifyStartError(error: unknown): DriverErrorCode {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION|ERR_NETWORK|ERR_ADDRESS_UNREACHABLE|ERR_PROXY|ERR_TIMED_OUT|ERR_SSL|ERR_CERT|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN/i.test(text)) {
    return 'network';
  }
  // "The browser is already running for <profile>": a profile still locked (stale locks are cleared before launch).
  if (/Failed to launch|spawn|ENOENT|EACCES|executable|already running/i.test(text)) return 'browser_failed';
  if (/timed? ?out/i.test(text)) return 'timeout';
  return 'unknown';
}

/** Errors that mean the page or the browser is gone: the session must be restarted. */
export function isCrash(error: unknown): boolean {
  return /detached Frame|Target closed|Session closed|Protocol error|Execution context was destroyed|browser has disconnected|Connection closed/i.test(textOf(error));
}

/** Error classes a missing or renamed function or module raises in the page (V8's own words for them). */
const CHANGE_NAMES = new Set(['TypeError', 'ReferenceError']);
const CHANGE_WORDS = /is not a function|is not defined|is not a constructor|is not iterable|Cannot read propert(y|ies) .*of (undefined|null)|Cannot destructure|Requiring unknown module/i;

/**
 * The signs of a WhatsApp Web change: a function the library injects, or a WhatsApp module it calls, is gone or
 * renamed. puppeteer-core 24 (the one we ship; `cdp/utils.js` createEvaluationError) rejects `page.evaluate` with
 * `name` set to the error's class and the `TypeError: ` prefix stripped — `{ name: 'TypeError', message:
 * 'msg.avParams is not a function' }` (wwebjs 201823) — where older versions gave one string, "Evaluation failed:
 * TypeError: e.isLid is not a function": both are read. A module WhatsApp's loader does not know ("Requiring unknown
 * module") is gone. A minified throw from WhatsApp's own code (name and message `r`, OpenWA 757: one chat's broken
 * data) is not a change: it is an error of that call, handled where it happens.
 */
export function isWhatsAppChange(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (CHANGE_NAMES.has(name) && CHANGE_WORDS.test(message)) return true;
  if (/Requiring unknown module/i.test(message)) return true;
  return /Evaluation failed: (TypeError|ReferenceError): .*(is not a function|is not defined|Cannot read propert(y|ies) .*of (undefined|null))/i.test(message);
}

function textOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function isNoLid(error: unknown): boolean {
  return /No LID for user/i.test(textOf(error));
}
