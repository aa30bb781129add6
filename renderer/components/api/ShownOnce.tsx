import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';

/** A secret the app shows this one time (it keeps only a hash, or signs with it): copy it now. */
export function ShownOnce({ label, secret, onDone, testId, masculine = false }: { label: string; secret: string; onDone: () => void; testId: string; masculine?: boolean }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="banner banner-warning shown-once" role="status" data-testid={testId}>
      <p>
        {/* "Cópiala" for a clave, "Cópialo" for a secreto (#30 item 9). */}
        <strong>{label}</strong> {t(masculine ? 'api.shownOnceMasculine' : 'api.shownOnce')}
      </p>
      <code className="mono secret" data-testid={`${testId}-value`}>{secret}</code>
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => undefined)}
        >
          {copied ? t('settings.copied') : t('settings.copy')}
        </button>
        <button type="button" onClick={onDone} data-testid={`${testId}-done`}>{t('api.savedIt')}</button>
      </div>
    </div>
  );
}
