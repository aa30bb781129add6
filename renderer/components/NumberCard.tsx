import { useState } from 'react';
import type { NumberView } from '../../shared/numbers';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';
import { LinkWarnings } from './LinkWarnings';
import { QrCode } from './QrCode';
import { PairingPanel } from './PairingPanel';
import { DemoFaults } from './DemoFaults';
import { formatPhone } from '../format';
import { WaLimitsNote } from './WaLimitsNote';

const TONE: Record<NumberView['state'], 'ok' | 'wait' | 'warn' | 'bad'> = {
  connected: 'ok',
  connecting: 'wait',
  qr: 'wait',
  stopped: 'wait',
  wa_changed: 'bad',
  phone_offline: 'warn',
  conflict: 'warn',
  logged_out: 'bad',
  banned: 'bad',
  error: 'bad',
  passkey: 'warn',
};

export function NumberCard({ number }: { number: NumberView }) {
  const { t, language } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const [label, setLabel] = useState(number.label);
  const [confirming, setConfirming] = useState(false);
  // Campaigns still counting on this number, said before it is unlinked (their contacts move to the other numbers).
  const [usedBy, setUsedBy] = useState<{ id: number; name: string; left: number }[]>([]);
  const { run, busy, error } = useAction();
  const linked = number.linkedAt !== null;
  const askUnlink = () => {
    setConfirming(true);
    api.call('campaigns.list', {}).then(
      (campaigns) =>
        setUsedBy(
          campaigns
            .filter((c) => ['running', 'paused', 'scheduled'].includes(c.state) && c.numbers.some((n) => n.id === number.id && !n.lost))
            .map((c) => ({ id: c.id, name: c.name, left: c.counts.queued + c.counts.sending })),
        ),
      () => setUsedBy([]),
    );
  };

  const advice =
    number.state === 'error'
      ? t(`numbers.errorCodes.${number.error ?? 'unknown'}`)
      : ['phone_offline', 'conflict', 'logged_out', 'banned', 'stopped', 'wa_changed', 'passkey'].includes(number.state)
        ? t(`numbers.advice.${number.state}`)
        : undefined;
  const canRetry = ['error', 'conflict', 'stopped', 'phone_offline', 'wa_changed', 'passkey'].includes(number.state);

  return (
    <article className="card number-card" data-testid={`number-${number.id}`} data-state={number.state} aria-label={number.label}>
      <header className="number-head">
        {renaming ? (
          <form
            className="inline-form rename-form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => api.call('numbers.rename', { id: number.id, label })).then((ok) => ok && setRenaming(false));
            }}
          >
            <input type="text" aria-label={t('numbers.labelField')} value={label} maxLength={60} onChange={(e) => setLabel(e.target.value)} data-testid="rename-input" autoFocus />
            <button type="submit" disabled={busy || label.trim() === ''}>{t('numbers.save')}</button>
            <button type="button" className="button-secondary" onClick={() => setRenaming(false)}>{t('numbers.cancel')}</button>
          </form>
        ) : (
          <h2 data-testid="number-label">
            {number.label} {number.kind === 'demo' && <span className="badge badge-demo" data-testid="demo-badge">{t('numbers.demoBadge')}</span>}{number.kind === 'cloud' && <span className="badge badge-ok" data-testid="cloud-badge">{t('cloud.badge')}</span>}
          </h2>
        )}
        <span className={`state state-${TONE[number.state]}`} data-testid="number-state" role="status">
          {t(`numbers.states.${number.state}`)}
        </span>
      </header>

      <dl className="facts compact">
        <dt>{t('numbers.phone')}</dt>
        <dd data-testid="number-phone">{number.phone ? formatPhone(number.phone) : t('numbers.notLinkedYet')}</dd>
        {number.name && (
          <>
            <dt>{t('numbers.waName')}</dt>
            <dd data-testid="number-name">{number.name}</dd>
          </>
        )}
        {number.linkedAt && (
          <>
            <dt>{t('numbers.linkedAt')}</dt>
            <dd>{new Date(number.linkedAt).toLocaleString(language === 'es' ? 'es-MX' : 'en-US')}</dd>
          </>
        )}
      </dl>
      <WaLimitsNote limits={number.limits} />

      {advice && <p className={`banner ${number.state === 'error' || number.state === 'banned' ? 'banner-error' : 'banner-warning'}`} data-testid="number-advice">{advice}</p>}
      {error && <p role="alert" className="banner banner-error">{error}</p>}

      {number.state === 'qr' && number.qr && (
        <section className="qr-panel" data-testid="qr-panel">
          <QrCode value={number.qr} alt={t('numbers.qrAlt')} />
          <div>
            <h3>{t('numbers.scanTitle')}</h3>
            <ol>
              <li>{t('numbers.step1')}</li>
              <li>{t('numbers.step2')}</li>
              <li>{t('numbers.step3')}</li>
              <li>{t('numbers.step4')}</li>
            </ol>
            <p className="hint">{t('numbers.qrRotates')}</p>
            {number.kind === 'demo' && (
              <button type="button" className="simulate-scan" data-testid="simulate-scan" disabled={busy} onClick={() => void run(() => api.call('numbers.simulateScan', { id: number.id }))}>
                {t('numbers.simulateScan')}
              </button>
            )}
            <PairingPanel number={number} />
            <LinkWarnings />
          </div>
        </section>
      )}

      {number.kind === 'demo' && number.state === 'connected' && <DemoFaults number={number} />}

      <footer className="actions">
        {number.state === 'passkey' && number.kind !== 'cloud' && (
          <button type="button" data-testid="show-window" disabled={busy} onClick={() => void run(() => api.call('numbers.showWindow', { id: number.id }))}>
            {t('numbers.showWindow')}
          </button>
        )}
        {canRetry && (
          <button type="button" data-testid="reconnect" disabled={busy} onClick={() => void run(() => api.call('numbers.reconnect', { id: number.id }))}>
            {t('numbers.reconnect')}
          </button>
        )}
        {number.state === 'logged_out' && (
          <button type="button" data-testid="relink" disabled={busy} onClick={() => void run(() => api.call('numbers.reconnect', { id: number.id }))}>
            {t('numbers.showQr')}
          </button>
        )}
        {!renaming && (
          <button type="button" className="button-secondary" data-testid="rename" onClick={() => { setLabel(number.label); setRenaming(true); }}>
            {t('numbers.rename')}
          </button>
        )}
        {confirming ? (
          <span className="confirm" role="group">
            <span>{linked ? t('numbers.confirmUnlink', { label: number.label }) : t('numbers.confirmRemove', { label: number.label })}</span>
            {usedBy.length > 0 && (
              <span className="banner banner-warning" data-testid="unlink-campaigns">
                {t('numbers.unlinkCampaigns', { campaigns: usedBy.map((c) => `«${c.name}» (${t('numbers.unlinkLeft', { count: c.left })})`).join(', ') })}
              </span>
            )}
            <button type="button" className="button-danger" data-testid="confirm-unlink" disabled={busy} onClick={() => void run(() => api.call('numbers.remove', { id: number.id }))}>
              {linked ? t('numbers.unlink') : t('numbers.remove')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>{t('numbers.cancel')}</button>
          </span>
        ) : (
          <button type="button" className="button-secondary button-danger-outline" data-testid="unlink" onClick={askUnlink}>
            {linked ? t('numbers.unlink') : t('numbers.remove')}
          </button>
        )}
      </footer>
    </article>
  );
}
