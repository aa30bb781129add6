import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { SEND_STATES, sentCount, type CampaignView, type Progress } from '../../shared/campaigns';
import { api } from '../api/client';
import { DoubtPanel } from '../components/campaigns/DoubtPanel';
import { formatWhen, formatPhone, formatNumber, reasonText } from '../format';
import { errorText, useI18n } from '../i18n/i18n';
import { CampaignSegments } from '../components/segments/CampaignSegments';
import { FollowUps } from '../components/campaigns/FollowUps';
import { CampaignMessagePreview } from '../components/campaigns/CampaignMessagePreview';
import { CampaignStatus } from '../components/campaigns/CampaignStatus';
import { pauseText } from '../components/campaigns/pause-text';

/** The live view: counts by state, pace, each number against its daily cap, the wait, last events; pause, resume, cancel. */
export function CampaignLivePage() {
  const { t, language } = useI18n();
  const id = Number(useParams().id);
  const [campaign, setCampaign] = useState<CampaignView>();
  const [progress, setProgress] = useState<Progress>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    api.call('campaigns.get', { id }).then(setCampaign, (e: unknown) => setError(errorText(t, e)));
    api.call('campaigns.progress', { id }).then(setProgress, () => undefined);
    // Its view changes with its state (an A/B test's pick, its follow-up made at launch): read again then.
    let state: string | undefined;
    return api.on('campaigns.progress', (p) => {
      if (p.campaignId !== id) return;
      setProgress(p);
      if (state !== undefined && p.state !== state) api.call('campaigns.get', { id }).then(setCampaign, () => undefined);
      state = p.state;
    });
  }, [id, t]);
  // Its follow-ups are part of it: their progress refreshes the campaign (at most once a second).
  const followUpKey = campaign?.followUps.map((f) => f.id).join(',') ?? '';
  useEffect(() => {
    if (!followUpKey) return;
    const ids = new Set(followUpKey.split(',').map(Number));
    let pending: ReturnType<typeof setTimeout> | undefined;
    const off = api.on('campaigns.progress', (p) => {
      if (!ids.has(p.campaignId)) return;
      pending ??= setTimeout(() => {
        pending = undefined;
        api.call('campaigns.get', { id }).then(setCampaign, () => undefined);
      }, 1000);
    });
    return () => {
      off();
      clearTimeout(pending);
    };
  }, [id, followUpKey]);

  const act = async (action: () => Promise<CampaignView>) => {
    setError(undefined);
    try {
      setCampaign(await action());
      setProgress(await api.call('campaigns.progress', { id }));
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  if (!campaign || !progress) return <section className="page">{error ?? t('common.loading')}</section>;
  const state = progress.state;
  const sent = sentCount(progress.counts);
  // Those left unsent by a cancel were meant to go: they count in the target, not among the contacts skipped.
  const target = progress.total - progress.counts.skipped + progress.cancelled;
  const remaining = progress.counts.queued + progress.counts.sending;
  const why = progress.waiting ? t(`campaigns.live.why.${progress.waiting.why}`) : '';

  // Codes in events are said in words: why a contact was skipped, what became of a lost number.
  const eventDetail = (kind: string, detail: string) =>
    kind === 'skipped' ? t(`campaigns.wizard.skipReasons.${detail}`) : kind === 'number_lost' ? t(`numbers.states.${detail}`) : kind === 'failed' || kind === 'in_doubt' ? reasonText(t, detail) : kind === 'brake' ? t(`campaigns.live.brakeEvents.${detail}`) : detail;
  const lostNumbers = campaign.numbers.filter((n) => n.lost);
  const keptNumbers = campaign.numbers.length - lostNumbers.length;

  return (
    <section className="page" data-testid="page-campaign" data-state={state}>
      <nav className="row-between">
        <Link to="/campanas">{t('campaigns.live.back')}</Link>
        <span className="actions-inline">
          <Link to={`/campanas/nueva?copiar=${id}`} data-testid="duplicate-campaign">{t('campaigns.live.duplicate')}</Link>
          <Link to={`/campanas/${id}/reporte`} data-testid="open-report">{t('report.open')}</Link>
        </span>
      </nav>
      <header className="page-header row-between">
        <h1>{campaign.name}</h1>
        <CampaignStatus campaign={{ state, settings: campaign.settings }} testId="campaign-state" />
      </header>
      {campaign.parentId !== null && (
        <p className="hint" data-testid="follow-up-of">
          <Link to={`/campanas/${campaign.parentId}`}>{t('campaigns.followUp.of', { name: campaign.name.replace(/ · .*$/, '') })}</Link>
        </p>
      )}

      {state === 'paused' && progress.pauseReason && (
        <div className={`banner ${progress.needsConfirmation ? 'banner-error' : 'banner-warning'}`} role="status" data-testid="pause-reason">
          {pauseText(t, progress.pauseReason, progress.pauseDetail)}
        </div>
      )}
      {state === 'scheduled' && campaign.settings.startAt !== null && (
        <p className="banner banner-ok" role="status" data-testid="starts-at">{t('campaigns.live.startsAt', { when: formatWhen(campaign.settings.startAt, language) })}</p>
      )}
      {progress.counts.in_doubt > 0 && (
        <>
          <p className="banner banner-warning">{t('campaigns.live.inDoubt', { count: progress.counts.in_doubt })}</p>
          <DoubtPanel
            campaignId={id}
            count={progress.counts.in_doubt}
            campaignOver={state === 'completed' || state === 'cancelled'}
            onSettled={() => void api.call('campaigns.progress', { id }).then(setProgress, () => undefined)}
          />
        </>
      )}
      {error && <p role="alert" className="banner banner-error" data-testid="campaign-error">{error}</p>}

      <div className="actions">
        {(state === 'running' || state === 'scheduled') && (
          <button type="button" className="button-secondary" onClick={() => void act(() => api.call('campaigns.pause', { id }))} data-testid="pause">{t('campaigns.live.pause')}</button>
        )}
        {state === 'paused' &&
          (progress.needsConfirmation ? (
            <button type="button" className="button-danger" onClick={() => void act(() => api.call('campaigns.resume', { id, confirm: true }))} data-testid="resume-confirm">
              {t('campaigns.live.confirmResume')}
            </button>
          ) : (
            <button type="button" onClick={() => void act(() => api.call('campaigns.resume', { id }))} data-testid="resume">{t('campaigns.live.resume')}</button>
          ))}
        {['running', 'paused', 'scheduled', 'draft'].includes(state) &&
          (confirmCancel ? (
            <span className="confirm">
              {t('campaigns.live.confirmCancel')}
              <button type="button" className="button-danger" onClick={() => void act(() => api.call('campaigns.cancel', { id })).then(() => setConfirmCancel(false))} data-testid="confirm-cancel">
                {t('campaigns.live.yesCancel')}
              </button>
              <button type="button" className="button-secondary" onClick={() => setConfirmCancel(false)}>{t('campaigns.live.no')}</button>
            </span>
          ) : (
            <button type="button" className="button-secondary button-danger-outline" onClick={() => setConfirmCancel(true)} data-testid="cancel">{t('campaigns.live.cancel')}</button>
          ))}
      </div>

      <div className="card">
        <progress className="big-progress" max={Math.max(1, target)} value={sent} data-testid="campaign-progress" />
        <p className="row-between">
          <span data-testid="campaign-sent">{sent} / {target}</span>
          <span>{t('campaigns.live.pace', { count: progress.pace })}</span>
          {progress.eta && <span>{t('campaigns.live.eta', { when: formatWhen(progress.eta, language) })}</span>}
        </p>
        {lostNumbers.length > 0 && keptNumbers > 0 && remaining > 0 && (
          <p className="hint" data-testid="fewer-numbers">{t('campaigns.live.fewerNumbers', { count: keptNumbers, names: lostNumbers.map((n) => `«${n.label}»`).join(', ') })}</p>
        )}
        {progress.waiting && state === 'running' && (
          <p className="hint" data-testid="waiting">{t('campaigns.live.waiting', { when: formatWhen(progress.waiting.until, language), why })}</p>
        )}
        {progress.limitUndelivered > 0 && (
          <p className="hint" data-testid="limit-undelivered">{t('campaigns.live.limitUndelivered', { count: formatNumber(progress.limitUndelivered, language) })}</p>
        )}
        {state === 'running' &&
          progress.held.map((h) => (
            <p key={h.reason} className="banner banner-warning" role="status" data-testid={`held-${h.reason}`}>
              {t(`campaigns.live.held.${h.reason}`, { count: formatNumber(h.count, language), when: formatWhen(h.until, language) })}
            </p>
          ))}
      </div>

      <div className="figures figures-8" data-testid="campaign-counts">
        {SEND_STATES.map((s) => (
          <div key={s} className={`figure figure-${s}`} data-testid={`count-${s}`}>
            <span className="figure-value">{formatNumber(s === 'skipped' ? progress.counts.skipped - progress.cancelled : progress.counts[s], language)}</span>
            <span className="figure-label">{t(`campaigns.sendStates.${s}`)}</span>
          </div>
        ))}
        {progress.cancelled > 0 && (
          <div className="figure figure-cancelled" data-testid="count-cancelled">
            <span className="figure-value">{formatNumber(progress.cancelled, language)}</span>
            <span className="figure-label">{t('campaigns.live.unsentCancelled')}</span>
          </div>
        )}
      </div>

      <div className="two-columns">
        <section className="card">
          <h2>{t('campaigns.live.perNumber')}</h2>
          <ul className="per-number">
            {progress.perNumber.map((n) => (
              <li key={n.numberId} data-testid="number-progress">
                <span><strong>{n.label}</strong> {n.lost && <span className="badge badge-bad">{t('campaigns.live.lost')}</span>}</span>
                <progress max={n.dailyCap} value={n.sentToday} />
                <span className="nowrap">{t('campaigns.live.numberToday', { sent: n.sentToday, cap: n.dailyCap })}</span>
              </li>
            ))}
          </ul>
          <h2>{t('campaigns.live.message')}</h2>
          <CampaignMessagePreview body={campaign.body} media={campaign.media} listIds={campaign.lists.filter((l) => !l.exclude).map((l) => l.id)} segmentIds={campaign.segments.map((x) => x.id)} sample={1} />
          {campaign.settings.abTest && (
            <p className="hint" data-testid="campaign-ab">
              {campaign.settings.abTest.decidedAt !== undefined
                ? t('campaigns.ab.winner', {
                    letter: 'ABCD'[campaign.settings.abTest.winner ?? 0] ?? '',
                    metric: t(campaign.settings.abTest.metric === 'replied' ? 'campaigns.ab.metricRepliedShort' : 'campaigns.ab.metricReadShort'),
                    pct: Math.round((campaign.settings.abTest.confidence ?? 0) * 1000) / 10,
                  })
                : campaign.settings.abTest.testShare < 100 && campaign.startedAt !== null
                  ? t('campaigns.ab.waiting', { date: formatWhen(campaign.startedAt + campaign.settings.abTest.waitHours * 3_600_000, language) })
                  : t('campaigns.ab.noChoice')}
            </p>
          )}
          <CampaignSegments campaign={campaign} />
          <FollowUps campaign={campaign} />
        </section>
        <section className="card">
          <h2>{t('campaigns.live.events')}</h2>
          {progress.events.length === 0 && <p className="hint">{t('campaigns.live.noEvents')}</p>}
          <ul className="events" data-testid="campaign-events">
            {progress.events.map((e, i) => (
              <li key={`${e.at}-${i}`} className={`event event-${e.kind}`} data-kind={e.kind}>
                <span className="event-time">{new Date(e.at).toLocaleTimeString(language === 'es' ? 'es-MX' : 'en-US')}</span>
                <strong>{t(`campaigns.live.eventKinds.${e.kind}`)}</strong> {e.name ?? ''} {formatPhone(e.phone)} {e.detail ? <span className="muted">· {eventDetail(e.kind, e.detail)}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </section>
  );
}
