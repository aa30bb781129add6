import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { sentCount, type CampaignView } from '../../shared/campaigns';
import { api } from '../api/client';
import { formatWhen } from '../format';
import { useI18n } from '../i18n/i18n';
import { CampaignStatus } from '../components/campaigns/CampaignStatus';
import { RecurringPlans } from '../components/campaigns/RecurringPlans';
import { discardDraft, readDraft } from '../state/campaign-draft';

/** Every campaign with its state, progress and dates, kept fresh by the progress events. */
export function CampaignsPage() {
  const { t, language } = useI18n();
  const [campaigns, setCampaigns] = useState<CampaignView[]>();
  // The campaign being written in the wizard (kept in this browser until it is launched): listed first, to go on with.
  const [draft, setDraft] = useState(() => readDraft());

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const load = () => api.call('campaigns.list', {}).then(setCampaigns, () => undefined);
    void load();
    const off = api.on('campaigns.progress', () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        void load();
      }, 500);
    });
    return () => {
      off();
      clearTimeout(pending);
    };
  }, []);

  return (
    <section className="page" data-testid="page-campaigns">
      <header className="page-header row-between">
        <h1>{t('campaigns.title')}</h1>
        <Link className="button" to="/campanas/nueva" data-testid="new-campaign">{t('campaigns.new')}</Link>
      </header>
      <RecurringPlans />
      {campaigns?.length === 0 && !draft && <p className="empty card">{t('campaigns.empty')}</p>}
      {campaigns && (campaigns.length > 0 || draft) && (
        <table className="preview campaigns-table" data-testid="campaigns-table">
          <thead>
            <tr>
              <th scope="col">{t('campaigns.colName')}</th>
              <th scope="col">{t('campaigns.colState')}</th>
              <th scope="col">{t('campaigns.colProgress')}</th>
              <th scope="col">{t('campaigns.colDates')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {draft && (
              <tr data-testid="draft-row" data-state="draft">
                <td>{draft.name || t('campaigns.draftUnnamed')}</td>
                <td><span className="badge">{t('campaigns.draftState')}</span></td>
                <td className="muted">{t('campaigns.draftNotLaunched')}</td>
                <td className="muted">{draft.savedAt ? t('campaigns.draftSaved', { date: formatWhen(draft.savedAt, language) }) : ''}</td>
                <td className="actions">
                  <Link to="/campanas/nueva" data-testid="draft-continue">{t('campaigns.draftContinue')}</Link>
                  <button type="button" className="button-link" onClick={() => { discardDraft(); setDraft(null); }} data-testid="draft-discard">{t('campaigns.draftDiscard')}</button>
                </td>
              </tr>
            )}
            {campaigns.map((c) => (
              <tr key={c.id} data-testid="campaign-row" data-state={c.state}>
                <td>{c.name}</td>
                <td><CampaignStatus campaign={c} /></td>
                <td>
                  {/* Those a cancel left unsent count in the target: "12 / 40", not "0 / 0" (#30 item 9). */}
                  <progress max={Math.max(1, c.total - c.counts.skipped + c.cancelled)} value={sentCount(c.counts)} /> {sentCount(c.counts)} / {c.total - c.counts.skipped + c.cancelled}
                </td>
                <td className="muted">
                  {c.finishedAt ? t(c.state === 'cancelled' ? 'campaigns.cancelledOn' : 'campaigns.finished', { date: formatWhen(c.finishedAt, language) }) : c.startedAt ? t('campaigns.started', { date: formatWhen(c.startedAt, language) }) : t('campaigns.created', { date: formatWhen(c.createdAt, language) })}
                </td>
                <td><Link to={`/campanas/${c.id}`} data-testid="open-campaign">{t('campaigns.open')}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
