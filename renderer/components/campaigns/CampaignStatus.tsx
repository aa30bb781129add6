import { useEffect, useState } from 'react';
import type { CampaignView } from '../../../shared/campaigns';
import { useI18n } from '../../i18n/i18n';
import { campaignStatus } from './campaign-status';

/** A campaign's state pill; a running one outside its sending hours says it waits for them, and until when. */
export function CampaignStatus({ campaign, testId }: { campaign: Pick<CampaignView, 'state' | 'settings'>; testId?: string }) {
  const { t, language } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  // The window opens while the page is open: the pill changes with it (once a minute is enough for HH:MM).
  useEffect(() => {
    if (campaign.state !== 'running' || !campaign.settings.window) return;
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, [campaign.state, campaign.settings.window]);
  const status = campaignStatus(t, language, campaign, now);
  return (
    <span className={`state state-${status.key}`} data-testid={testId} data-status={status.key}>
      {status.text}
    </span>
  );
}
