import type { CampaignSettings } from '../../shared/campaigns';
import { customPace, PRESETS, type PacerSettings } from './pacer';

/**
 * A campaign's stored settings as the pacer reads them: presets expanded, custom values made safe. `cloudDailyLimit`:
 * the messaging tier of its Cloud numbers (people per day), which the cloud pace keeps to (null: unlimited tier).
 */
export function pacerSettings(settings: CampaignSettings, cloudDailyLimit: number | null = null): PacerSettings {
  const pace = settings.pace.preset === 'custom' ? customPace(settings.pace) : PRESETS[settings.pace.preset];
  const capped = pace.preset === 'cloud' && cloudDailyLimit !== null ? { ...pace, dailyCap: cloudDailyLimit } : pace;
  return { pace: capped, window: settings.window, timeZone: settings.timeZone, startAt: settings.startAt };
}
