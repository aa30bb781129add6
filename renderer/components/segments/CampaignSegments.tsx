import { useEffect, useMemo, useState } from 'react';
import type { CampaignView } from '../../../shared/campaigns';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useLists } from '../../state/use-lists';
import { useTags } from '../../state/use-tags';
import { ruleText, type RuleNames } from './rule-text';

/** The names rules point at (tags, lists, campaigns), for saying rules in words. */
export function useRuleNames(): RuleNames {
  const tags = useTags();
  const { lists } = useLists();
  const [campaigns, setCampaigns] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => {
    api.call('campaigns.list', {}).then((all) => setCampaigns(all.map((c) => ({ id: c.id, name: c.name }))), () => undefined);
  }, []);
  return useMemo(
    () => ({ tags: new Map(tags.map((x) => [x.id, x.name])), lists: new Map(lists.map((x) => [x.id, x.name])), campaigns: new Map(campaigns.map((x) => [x.id, x.name])) }),
    [tags, lists, campaigns],
  );
}

/** A campaign's segments with the rules its audience was taken with at launch (the report and the live page). */
export function CampaignSegments({ campaign }: { campaign: Pick<CampaignView, 'segments' | 'startedAt'> }) {
  const { t } = useI18n();
  const names = useRuleNames();
  if (campaign.segments.length === 0) return null;
  return (
    <section className="campaign-segments-box" data-testid="campaign-segments">
      <h2>{t('campaigns.segmentsUsed')}</h2>
      {campaign.startedAt !== null && <p className="hint">{t('campaigns.segmentsFrozen')}</p>}
      {campaign.segments.map((segment) => (
        <div key={segment.id} data-testid="campaign-segment" data-segment-name={segment.name}>
          <strong>{segment.name}</strong> · <span className="muted">{t(`segments.rules.${segment.match}`)}</span>
          <ul className="campaign-segments">
            {segment.rules.map((rule, i) => <li key={i} data-testid="campaign-segment-rule">{ruleText(t, rule, names)}</li>)}
          </ul>
        </div>
      ))}
    </section>
  );
}
