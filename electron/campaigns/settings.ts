import type { CampaignSettings } from '../../shared/campaigns';
import { customPace, PRESETS, type PacerSettings } from './pacer';

/** A campaign's stored settings as the pacer reads them: presets expanded, custom values made safe. */
export function pacerSettings(settings: CampaignSettings): PacerSettings {
  const pace = settings.pace.preset === 'custom' ? customPace(settings.pace) : PRESETS[settings.pace.preset];
  return { pace, window: settings.window, timeZone: settings.timeZone, startAt: settings.startAt };
}
