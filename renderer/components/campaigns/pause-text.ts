import type { Translate } from '../../i18n/translate';

/** At or above this share of opt-outs among the sends judged, the list is the cause, not the message. */
const LIST_SHARE = 0.05;

/**
 * Why a campaign is paused, in words, with advice by cause (#30 item 4): the opt-out brake's detail is "5/70" (opt-outs
 * of the sends judged); a high share says the list reached people who did not expect the message, a low one the
 * message itself. An older detail (a bare count) gets the general advice.
 */
export function pauseText(t: Translate, reason: string, detail: string | null): string {
  if (reason !== 'brake_opt_outs') return t(`campaigns.live.pauseReasons.${reason}`, { detail: detail ?? '' });
  const parts = /^(\d+)\/(\d+)$/.exec(detail ?? '');
  const count = parts ? Number(parts[1]) : null;
  const of = parts ? Number(parts[2]) : null;
  const advice = count !== null && of ? (count / of >= LIST_SHARE ? 'adviceList' : 'adviceMessage') : 'adviceEither';
  return t('campaigns.live.pauseReasons.brake_opt_outs', {
    detail: count !== null && of ? t('campaigns.live.brakeCount', { count, of }) : (detail ?? ''),
    advice: t(`campaigns.live.brakeAdvice.${advice}`),
  });
}
