import { useCallback, useState } from 'react';
import type { CampaignInput, Estimate } from '../../../shared/campaigns';
import type { MediaView } from '../../../shared/messages';
import { formatIsoDate, formatNumber, formatUsd, formatWhen, minutesToHhmm } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { PreviewItem } from '../messages/ChatPreview';
import { TestSendPanel } from '../messages/TestSendPanel';
import { CampaignMessagePreview } from './CampaignMessagePreview';
import { firstSendAt } from './campaign-status';

export type ReviewProps = {
  input: CampaignInput;
  media: MediaView | null;
  estimate: Estimate;
  listName(id: number): string;
  segmentName(id: number): string;
  /** Every week or month, with its frequency cap (null: once). */
  repeat?: { every: 'week' | 'month'; capDays: number } | null;
  numberLabel(id: string): string;
  /** High risk: launching needs this ticked. */
  riskAccepted: boolean;
  consentConfirmed: boolean;
  onConsentConfirmed(confirmed: boolean): void;
  onRiskAccepted(value: boolean): void;
};

/**
 * The wizard's last step: every choice in one place (the message as contacts will get it, lists, numbers, pace,
 * schedule), what will happen (who is left out and why, when it ends), the risk, and a test send from here.
 */
export function CampaignReview({ input, media, estimate, listName, segmentName, repeat, numberLabel, riskAccepted, onRiskAccepted, consentConfirmed, onConsentConfirmed }: ReviewProps) {
  const { t, language } = useI18n();
  const [contacts, setContacts] = useState<{ id: number; label: string }[]>([]);
  // When the review opened: the start it states is as of now (the launch follows within minutes).
  const [openedAt] = useState(() => Date.now());
  const onItems = useCallback((items: PreviewItem[]) => setContacts(items.filter((i) => !i.contact.sample).map((i) => ({ id: i.contact.id, label: i.contact.name ?? i.contact.phone }))), []);
  const { settings } = input;
  const window = settings.window;
  const weekdays = t('campaigns.wizard.days').split(' ');
  const skips = Object.entries(estimate.skipped).filter(([, n]) => n > 0);
  const nobody = estimate.toSend === 0;
  // What the pacer will do: outside the sending hours, the first message waits for them (#30 item 5).
  const startText = () => {
    const first = firstSendAt(settings, openedAt);
    if (first === null) return t('campaigns.wizard.reviewStartsNow');
    if (settings.startAt !== null && first <= settings.startAt) return t('campaigns.wizard.reviewStartsAt', { when: formatWhen(settings.startAt, language) });
    return t('campaigns.wizard.reviewStartsWindow', { when: formatWhen(first, language, settings.timeZone) });
  };

  return (
    <div data-testid="campaign-summary" className="review">
      <h2>{t('campaigns.wizard.summaryTitle')}</h2>
      {nobody && (
        <p className="banner banner-error" role="alert" data-testid="summary-nobody">
          {estimate.contacts === 0 ? t('campaigns.wizard.nobodyEmpty') : t('campaigns.wizard.nobody', { count: estimate.contacts })}
        </p>
      )}
      <div className="figures">
        <div className="figure figure-imported"><span className="figure-value" data-testid="summary-to-send">{formatNumber(estimate.toSend, language)}</span><span className="figure-label">{t('campaigns.wizard.toSend')}</span></div>
        <div className="figure"><span className="figure-value">{formatNumber(estimate.contacts, language)}</span><span className="figure-label">{t('campaigns.wizard.contacts')}</span></div>
      </div>
      {skips.length > 0 && (
        <ul className="skips">
          {skips.map(([reason, n]) => (
            <li key={reason} data-testid={`skip-${reason}`}>{t('campaigns.wizard.skipped')}: {formatNumber(n, language)} {t(`campaigns.wizard.skipReasons.${reason}`)}</li>
          ))}
        </ul>
      )}
      {!nobody && (
        <p data-testid="summary-finish">
          {estimate.estimatedFinish ? t('campaigns.wizard.finish', { when: formatWhen(estimate.estimatedFinish, language) }) : t('campaigns.wizard.finishUnknown')}
          {/* Past this year, the year is said: a date without it read as "in a few months" when it was years away. */}
          {estimate.estimatedFinish && new Date(estimate.estimatedFinish).getFullYear() !== new Date().getFullYear() && (
            <strong> {t('campaigns.wizard.finishYear', { year: new Date(estimate.estimatedFinish).getFullYear() })}</strong>
          )}
        </p>
      )}
      {!nobody && !estimate.cost && !estimate.newPeople && <p className="hint" data-testid="summary-unanswered">{t('campaigns.wizard.unansweredLeft', { count: estimate.unansweredLeft })}</p>}
      {!nobody && estimate.newPeople && estimate.newPeople.cold > 0 && (
        <p className="banner banner-warning" data-testid="summary-new-people">
          {estimate.newPeople.perCycle > 0 &&
            t(estimate.newPeople.cycles > 1 ? 'campaigns.wizard.newPeopleCycles' : 'campaigns.wizard.newPeopleFits', {
              total: formatNumber(estimate.toSend, language),
              cold: formatNumber(estimate.newPeople.cold, language),
              cycles: estimate.newPeople.cycles,
            })}{' '}
          {estimate.newPeople.timelockUntil !== null && t('campaigns.wizard.newPeopleLocked', { cold: formatNumber(estimate.newPeople.cold, language), when: formatWhen(estimate.newPeople.timelockUntil, language) })}
        </p>
      )}
      {!nobody && estimate.cost && (
        <p className="banner banner-ok" data-testid="summary-cost">
          {t('cloud.estimateCost', { total: formatUsd(estimate.cost.total, language), each: formatUsd(estimate.cost.each, language), category: t(`cloud.categories.${estimate.cost.category}`), count: estimate.toSend, asOf: formatIsoDate(estimate.cost.asOf, language) })}
        </p>
      )}

      <div className="review-grid">
        <section className="review-message" data-testid="review-message">
          <h3>{t('campaigns.wizard.reviewMessage')}</h3>
          {media && <p className="hint" data-testid="review-attachment">{t('campaigns.wizard.reviewAttachment', { kind: t(`messages.mediaKinds.${media.kind}`), name: media.fileName })}</p>}
          <CampaignMessagePreview body={input.body} media={media} listIds={input.includeListIds} segmentIds={input.segmentIds} onItems={onItems} />
        </section>
        <dl className="review-choices" data-testid="review-choices">
          <dt>{t('campaigns.wizard.name')}</dt>
          <dd>{input.name}</dd>
          {input.includeListIds.length > 0 && (
            <>
              <dt>{t('campaigns.wizard.include')}</dt>
              <dd data-testid="review-lists">{input.includeListIds.map(listName).join(', ')}</dd>
            </>
          )}
          {(input.segmentIds ?? []).length > 0 && (
            <>
              <dt>{t('campaigns.wizard.reviewSegments')}</dt>
              <dd data-testid="review-segments">{(input.segmentIds ?? []).map(segmentName).join(', ')}</dd>
            </>
          )}
          {input.excludeListIds.length > 0 && (
            <>
              <dt>{t('campaigns.wizard.exclude')}</dt>
              <dd>{input.excludeListIds.map(listName).join(', ')}</dd>
            </>
          )}
          {repeat && (
            <>
              <dt>{t('campaigns.recurring.review')}</dt>
              <dd data-testid="review-repeat">
                {t('campaigns.recurring.reviewText', { every: t(repeat.every === 'week' ? 'campaigns.recurring.everyWeek' : 'campaigns.recurring.everyMonth'), days: repeat.capDays })}
              </dd>
            </>
          )}
          {settings.abTest && (
            <>
              <dt>{t('campaigns.ab.review')}</dt>
              <dd data-testid="review-ab">
                {t('campaigns.ab.reviewText', {
                  count: settings.abTest.variants.length + 1,
                  share: settings.abTest.testShare === 100 ? t('campaigns.ab.reviewShareAll') : t('campaigns.ab.reviewSharePart', { pct: settings.abTest.testShare, hours: settings.abTest.waitHours }),
                })}
              </dd>
            </>
          )}
          {settings.followUp && (
            <>
              <dt>{t('campaigns.followUp.review')}</dt>
              <dd data-testid="review-follow-up">
                {t('campaigns.followUp.reviewText', { days: settings.followUp.afterDays, who: t(settings.followUp.who === 'replied' ? 'campaigns.followUp.whoReplied' : 'campaigns.followUp.whoRead') })}: «{settings.followUp.body}»
              </dd>
            </>
          )}
          <dt>{t('campaigns.wizard.steps.numbers')}</dt>
          <dd data-testid="review-numbers">{input.numberIds.map(numberLabel).join(', ')}</dd>
          <dt>{t('campaigns.wizard.steps.pace')}</dt>
          <dd data-testid="review-pace">
            {settings.pace.preset === 'custom'
              ? t('campaigns.wizard.reviewCustomPace', { perMinute: settings.pace.perMinute, from: settings.pace.gapMs[0] / 1000, to: settings.pace.gapMs[1] / 1000, cap: settings.pace.dailyCap })
              : t(`campaigns.wizard.presets.${settings.pace.preset}`)}
          </dd>
          <dt>{t('campaigns.wizard.steps.when')}</dt>
          <dd data-testid="review-when">
            {startText()}
            {window && (
              <>
                <br />
                {t('campaigns.wizard.reviewWindow', { days: window.days.map((d) => weekdays[d]).join(' '), from: minutesToHhmm(window.startMinute), to: minutesToHhmm(window.endMinute) })}
              </>
            )}
            {settings.skipRecent === false && (
              <>
                <br />
                <span className="warn-text" data-testid="review-recent-included">{t('campaigns.wizard.reviewRecentIncluded')}</span>
              </>
            )}
            <br />
            <span className="muted">{t('campaigns.wizard.timeZone', { zone: settings.timeZone })}</span>
          </dd>
        </dl>
      </div>

      <div className={`risk risk-${estimate.risk.level}`} data-testid="risk" data-level={estimate.risk.level}>
        <strong>{t('campaigns.wizard.risk')}: {t(`campaigns.wizard.riskLevels.${estimate.risk.level}`)}</strong>
        <meter min={0} max={3} low={1.5} high={2.5} optimum={0} value={{ low: 1, medium: 2, high: 3 }[estimate.risk.level]} />
        <ul>{estimate.risk.reasons.map((r) => <li key={r}>{t(`campaigns.wizard.riskReasons.${r}`)}</li>)}</ul>
        {estimate.risk.level === 'high' && !nobody && (
          <label className="risk-accept">
            <input type="checkbox" checked={riskAccepted} onChange={(e) => onRiskAccepted(e.target.checked)} data-testid="risk-accept" />
            {t('campaigns.wizard.riskAccept')}
          </label>
        )}
      </div>
      {estimate.withoutConsent > 0 && !nobody && (
        <div className="banner banner-warning consent-confirm" data-testid="consent-warning">
          <p>{t('campaigns.wizard.noConsent', { count: estimate.withoutConsent })}</p>
          <label className="check-line">
            <input type="checkbox" checked={consentConfirmed} onChange={(e) => onConsentConfirmed(e.target.checked)} data-testid="consent-confirm" />
            {t('campaigns.wizard.noConsentConfirm', { count: estimate.withoutConsent })}
          </label>
        </div>
      )}
      {estimate.risk.reasons.includes('no_test_send') && <p className="banner banner-warning" data-testid="test-reminder">{t('campaigns.wizard.testReminder')}</p>}
      <TestSendPanel body={input.body} mediaId={input.mediaId} contacts={contacts} disabled={false} {...(input.settings.cloud ? { cloud: input.settings.cloud } : {})} />
    </div>
  );
}
