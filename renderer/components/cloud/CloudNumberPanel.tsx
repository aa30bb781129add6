import { useCallback, useEffect, useId, useState } from 'react';
import type { CloudNumber, WaTemplate } from '../../../shared/cloud';
import type { NumberView } from '../../../shared/numbers';
import { api } from '../../api/client';
import { formatNumber, formatWhen } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { CloudTemplateDraft } from './CloudTemplateDraft';
import { TemplateBubble } from './TemplateBubble';

const QUALITY_TONE: Record<string, string> = { GREEN: 'badge-ok', YELLOW: 'badge-warn', RED: 'badge-bad' };

/**
 * Under a Cloud API number's card: what Meta says of it (name, quality rating, messaging tier), how to connect
 * Meta's webhooks (a tunnel to the local receiver, or a relay of the user's own), and its templates.
 */
export function CloudNumberPanel({ number }: { number: NumberView }) {
  const { t, language } = useI18n();
  const [cloud, setCloud] = useState<CloudNumber>();
  const [templates, setTemplates] = useState<WaTemplate[]>([]);
  const [relay, setRelay] = useState('');
  const [drafting, setDrafting] = useState(false);
  const { run, busy, error } = useAction();
  const relayId = useId();

  const load = useCallback(() => {
    api.call('cloud.list', {}).then((all) => {
      const mine = all.find((c) => c.numberId === number.id);
      setCloud(mine);
      setRelay(mine?.relayUrl ?? '');
    }, () => undefined);
    api.call('cloud.templates', { numberId: number.id }).then(setTemplates, () => undefined);
  }, [number.id]);
  useEffect(() => load(), [load, number.state]);

  if (!cloud) return null;
  const tier = cloud.dailyLimit === null ? t('cloud.tierUnlimited') : t('cloud.tierPeople', { count: formatNumber(cloud.dailyLimit, language) });
  return (
    <section className="card cloud-panel" data-testid="cloud-panel" aria-label={t('cloud.panelTitle')}>
      <h3>{t('cloud.panelTitle')}</h3>
      <dl className="facts compact">
        <dt>{t('cloud.verifiedName')}</dt>
        <dd data-testid="cloud-verified-name">{cloud.verifiedName ?? '—'}</dd>
        <dt>{t('cloud.quality')}</dt>
        <dd>
          <span className={`badge ${QUALITY_TONE[cloud.qualityRating ?? ''] ?? ''}`} data-testid="cloud-quality">{t(`cloud.qualityRatings.${cloud.qualityRating ?? 'NA'}`)}</span>
        </dd>
        <dt>{t('cloud.tier')}</dt>
        <dd data-testid="cloud-tier">{tier}</dd>
        <dt>{t('cloud.portfolio')}</dt>
        <dd data-testid="cloud-portfolio">
          {cloud.portfolioId ? (
            <>
              {cloud.portfolioName ?? cloud.portfolioId}
              <br />
              <span className="help">{cloud.sharedWith.length ? t('cloud.portfolioShared', { count: cloud.sharedWith.length }) : t('cloud.portfolioAlone')}</span>
            </>
          ) : (
            <span className="help">{t('cloud.portfolioUnknown')}</span>
          )}
        </dd>
        <dt>{t('cloud.checkedAt')}</dt>
        <dd>{cloud.checkedAt ? formatWhen(cloud.checkedAt, language) : '—'}</dd>
      </dl>
      <button type="button" className="button-secondary" disabled={busy} onClick={() => void run(async () => setCloud(await api.call('cloud.check', { numberId: number.id })))} data-testid="cloud-check">
        {t('cloud.checkAgain')}
      </button>

      <details className="cloud-webhooks" data-testid="cloud-webhook-setup">
        <summary>{cloud.lastWebhookAt ? t('cloud.webhookLast', { when: formatWhen(cloud.lastWebhookAt, language) }) : t('cloud.webhookNone')}</summary>
        <p className="help">{t('cloud.webhookWhy')}</p>
        <ol className="steps">
          <li>{cloud.webhookLocalUrl ? t('cloud.webhookTunnel', { url: cloud.webhookLocalUrl }) : t('cloud.webhookNoReceiver')}</li>
          <li>{t('cloud.webhookMeta')}</li>
          <li>
            {t('cloud.webhookVerifyToken')} <code data-testid="cloud-verify-token">{cloud.verifyToken}</code>
          </li>
          <li>{t('cloud.webhookFields')}</li>
        </ol>
        <p className="help">{t(cloud.secretStore === 'keychain' ? 'cloud.secretKeychain' : 'cloud.secretFile')}</p>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => setCloud(await api.call('cloud.setRelay', { numberId: number.id, url: relay.trim() || null })));
          }}
        >
          <label htmlFor={relayId}>{t('cloud.relay')}</label>
          <input id={relayId} type="url" value={relay} placeholder="https://" onChange={(e) => setRelay(e.target.value)} data-testid="cloud-relay" />
          <button type="submit" className="button-secondary" disabled={busy}>{t('common.save')}</button>
        </form>
        <p className="help">{t('cloud.relayHelp')}</p>
      </details>

      <div className="row-between">
        <h4>{t('cloud.templatesTitle')}</h4>
        <span className="actions">
          <button type="button" className="button-secondary" disabled={busy} onClick={() => void run(async () => setTemplates(await api.call('cloud.syncTemplates', { numberId: number.id })))} data-testid="cloud-sync">
            {t('cloud.sync')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setDrafting(!drafting)} data-testid="cloud-new-template">{t('cloud.newTemplate')}</button>
        </span>
      </div>
      {templates.length === 0 ? (
        <p className="empty" data-testid="cloud-no-templates">{t('cloud.noTemplates')}</p>
      ) : (
        <ul className="cloud-templates" data-testid="cloud-templates">
          {templates.map((x) => (
            <li key={x.id} data-testid="cloud-template" data-status={x.status}>
              <strong>{x.name}</strong> <span className="muted">{x.language} · {t(`cloud.categories.${x.category}`)}{x.header !== 'none' && x.header !== 'text' ? ` · ${t('cloud.withHeader', { kind: t(`cloud.headers.${x.header}`) })}` : ''}</span>{' '}
              <span className={`badge ${x.status === 'APPROVED' ? 'badge-ok' : x.status === 'REJECTED' || x.status === 'DISABLED' ? 'badge-bad' : 'badge-warn'}`}>{t(`cloud.statuses.${STATUSES.has(x.status) ? x.status : 'OTHER'}`)}</span>
              <TemplateBubble template={x} />
              {x.buttons.some((b) => b.stopPromotions) && <p className="help">{t('cloud.stopPromotionsNote')}</p>}
            </li>
          ))}
        </ul>
      )}
      {drafting && (
        <CloudTemplateDraft
          numberId={number.id}
          appId={cloud.appId}
          onCreated={(created) => {
            setTemplates([...templates.filter((x) => x.id !== created.id), created]);
            setDrafting(false);
          }}
        />
      )}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </section>
  );
}

const STATUSES = new Set(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL']);
