import type { CampaignSettings, CampaignView } from '../../../shared/campaigns';
import { windowStart } from '../../../shared/send-window';
import { localTime } from '../../../shared/time-zone';
import { formatWhen, minutesToHhmm } from '../../format';
import type { Translate } from '../../i18n/translate';
import type { Language } from '../../../shared/types';

/** When a campaign with these settings sends its first message if launched at `now`: null for at once. */
export function firstSendAt(settings: Pick<CampaignSettings, 'window' | 'timeZone' | 'startAt'>, now: number): number | null {
  const from = Math.max(now, settings.startAt ?? now);
  const start = settings.window ? windowStart(from, settings.window, settings.timeZone) : from;
  return start > now ? start : null;
}

/**
 * A campaign's status in words: a running campaign outside its sending window is "Esperando horario (09:00)", not
 * "Enviando" (#30 item 5: launched at 02:48 with a 09:00–20:00 window, it said "Enviando" for six hours).
 */
export function campaignStatus(t: Translate, language: Language, campaign: { state: CampaignView['state']; settings: Pick<CampaignSettings, 'window' | 'timeZone' | 'startAt'> }, now: number): { key: string; text: string } {
  if (campaign.state === 'running' && campaign.settings.window) {
    const opens = windowStart(now, campaign.settings.window, campaign.settings.timeZone);
    if (opens > now && Number.isFinite(opens)) {
      const sameDay = localTime(opens, campaign.settings.timeZone).day === localTime(now, campaign.settings.timeZone).day && opens - now < 86_400_000;
      const when = sameDay ? minutesToHhmm(campaign.settings.window.startMinute) : formatWhen(opens, language, campaign.settings.timeZone);
      return { key: 'waiting', text: t('campaigns.states.waitingWindow', { when }) };
    }
  }
  return { key: campaign.state, text: t(`campaigns.states.${campaign.state}`) };
}
