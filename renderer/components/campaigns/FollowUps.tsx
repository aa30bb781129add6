import { Link } from 'react-router-dom';
import type { CampaignView } from '../../../shared/campaigns';
import { formatWhen } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** A campaign's follow-ups as part of it (its page and its report): when each goes, to whom, and what it did. */
export function FollowUps({ campaign }: { campaign: Pick<CampaignView, 'followUps'> }) {
  const { t, language } = useI18n();
  if (campaign.followUps.length === 0) return null;
  return (
    <section className="follow-ups" data-testid="follow-ups">
      <h2>{t('campaigns.followUp.title')}</h2>
      {campaign.followUps.map((f) => {
        const who = t(f.who === 'replied' ? 'campaigns.followUp.whoReplied' : 'campaigns.followUp.whoRead');
        const sent = f.counts.sent + f.counts.delivered + f.counts.read;
        return (
          <div key={f.id} className="follow-up-item" data-testid="follow-up-item" data-state={f.state}>
            <p>
              <span className={`state state-${f.state}`}>{t(`campaigns.states.${f.state}`)}</span>{' '}
              {f.state === 'scheduled' || f.total === 0
                ? t('campaigns.followUp.scheduled', { date: f.startAt ? formatWhen(f.startAt, language) : '—', days: f.afterDays, who })
                : t('campaigns.followUp.sent', { days: f.afterDays, who, total: f.total })}
            </p>
            {f.total > 0 && (
              <p className="muted" data-testid="follow-up-figures">
                {t('campaigns.sendStates.sent')}: {sent} · {t('campaigns.sendStates.delivered')}: {f.counts.delivered + f.counts.read} · {t('campaigns.sendStates.read')}: {f.counts.read} · {t('campaigns.sendStates.skipped')}: {f.counts.skipped}
              </p>
            )}
            <Link to={`/campanas/${f.id}`} className="button-link" data-testid="follow-up-open">{t('campaigns.followUp.open')}</Link>
          </div>
        );
      })}
    </section>
  );
}
