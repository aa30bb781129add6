import { useId, useState } from 'react';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { useToast } from '../../state/toast';
import { useTags } from '../../state/use-tags';

const WHO = ['replied', 'read', 'delivered', 'failed', 'all'] as const;

/** From a campaign's report: tag its contacts by what the message did for them ("etiquetar a quienes respondieron"). */
export function TagFromReport({ campaignId }: { campaignId: number }) {
  const { t } = useI18n();
  const toast = useToast();
  const tags = useTags();
  const [who, setWho] = useState<(typeof WHO)[number]>('replied');
  const [tagId, setTagId] = useState<number | null>(null);
  const { run, busy, error } = useAction();
  const whoId = useId();
  const tagSelectId = useId();
  const chosen = tagId ?? tags[0]?.id ?? null;
  if (tags.length === 0) return null;
  return (
    <form
      className="tag-from-report actions"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen === null) return;
        void run(async () => {
          const { matched, changed } = await api.call('tags.addFromCampaign', { tagId: chosen, campaignId, who });
          const tag = tags.find((x) => x.id === chosen)?.name ?? '';
          toast(changed === matched ? t('tags.tagged', { count: changed, tag }) : t('tags.taggedSome', { count: matched, tag, added: changed }));
        });
      }}
      data-testid="tag-from-report"
    >
      <label htmlFor={whoId}>{t('tags.fromReport')}</label>
      <select id={whoId} value={who} onChange={(e) => setWho(e.target.value as (typeof WHO)[number])} data-testid="tag-from-report-who">
        {WHO.map((w) => <option key={w} value={w}>{t(`tags.who.${w}`)}</option>)}
      </select>
      <label htmlFor={tagSelectId}>{t('tags.fromReportWith')}</label>
      <select id={tagSelectId} value={chosen ?? ''} onChange={(e) => setTagId(Number(e.target.value))} data-testid="tag-from-report-tag">
        {tags.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
      </select>
      <button type="submit" className="button-secondary" disabled={busy} data-testid="tag-from-report-apply">{t('tags.apply')}</button>
      {error && <span role="alert" className="banner banner-error">{error}</span>}
    </form>
  );
}
