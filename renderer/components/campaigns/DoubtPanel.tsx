import { useEffect, useState } from 'react';
import type { ReportRow } from '../../../shared/reports';
import { api } from '../../api/client';
import { reasonText, formatPhone } from '../../format';
import { errorText, useI18n } from '../../i18n/i18n';

const SHOWN = 20;

/**
 * Sends left in doubt (a crash or a lost number in the middle of a send) are never resent by themselves: the user
 * checks each chat on the phone and says whether the message is there. "It did not arrive" asks once more.
 */
export function DoubtPanel({ campaignId, count, campaignOver, onSettled }: { campaignId: number; count: number; campaignOver: boolean; onSettled: () => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<ReportRow[]>([]);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    api.call('reports.rows', { id: campaignId, state: 'in_doubt', offset: 0, limit: SHOWN }).then((page) => setRows(page.rows), (e: unknown) => setError(errorText(t, e)));
  }, [campaignId, count, t]);

  const settle = async (sendId: number, received: boolean) => {
    setError(undefined);
    try {
      await api.call('campaigns.settleDoubt', { id: campaignId, sendId, received });
      setConfirming(null);
      setRows((list) => list.filter((r) => r.id !== sendId));
      onSettled();
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  return (
    <section className="card doubt" data-testid="doubt-panel">
      <h2>{t('campaigns.live.doubt.title')}</h2>
      <p className="hint">{t('campaigns.live.doubt.hint')}</p>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
      <ul className="doubt-list">
        {rows.map((r) => (
          <li key={r.id} data-testid="doubt-row">
            <span>
              <strong>{r.name ?? formatPhone(r.phone)}</strong> {r.name && <span className="muted">{formatPhone(r.phone)}</span>}
              {r.numberLabel && <span className="muted"> · {r.numberLabel}</span>}
              {r.reason && <span className="muted"> · {reasonText(t, r.reason)}</span>}
            </span>
            {confirming === r.id ? (
              <span className="confirm">
                {t(campaignOver ? 'campaigns.live.doubt.confirmFail' : 'campaigns.live.doubt.confirmResend')}
                <button type="button" className="button-danger" onClick={() => void settle(r.id, false)} data-testid="doubt-confirm-not-received">{t('campaigns.live.doubt.yes')}</button>
                <button type="button" className="button-secondary" onClick={() => setConfirming(null)}>{t('campaigns.live.doubt.no')}</button>
              </span>
            ) : (
              <span className="actions">
                <button type="button" onClick={() => void settle(r.id, true)} data-testid="doubt-received">{t('campaigns.live.doubt.received')}</button>
                <button type="button" className="button-secondary" onClick={() => setConfirming(r.id)} data-testid="doubt-not-received">{t('campaigns.live.doubt.notReceived')}</button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {count > rows.length && rows.length > 0 && <p className="hint">{t('campaigns.live.doubt.more', { count: count - rows.length })}</p>}
    </section>
  );
}
