import { useEffect, useId, useState } from 'react';
import type { z } from 'zod';
import type { CheckProgressSchema } from '../../../shared/contacts';
import { api } from '../../api/client';
import { errorText, useI18n } from '../../i18n/i18n';
import { useNumbers } from '../../state/use-numbers';
import { formatPhone } from '../../format';

type Progress = z.infer<typeof CheckProgressSchema>;

/** "Verificar en WhatsApp" for the selected list, through one of the connected numbers. */
export function WhatsAppCheckPanel({ listId }: { listId: number }) {
  const { t } = useI18n();
  const { numbers } = useNumbers();
  const connected = (numbers ?? []).filter((n) => n.state === 'connected');
  const [numberId, setNumberId] = useState('');
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<string>();
  const selectId = useId();
  const chosen = numberId || connected[0]?.id || '';

  useEffect(() => api.on('contacts.checkProgress', (p) => p.listId === listId && setProgress(p)), [listId]);

  const running = progress?.status === 'running';
  const start = async () => {
    setError(undefined);
    try {
      await api.call('contacts.checkWhatsApp', { listId, numberId: chosen });
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  return (
    <section className="card check-panel" data-testid="check-panel">
      <h2>{t('contacts.checkTitle')}</h2>
      <p className="hint">{t('contacts.checkHelp')}</p>
      {connected.length === 0 ? (
        <p className="banner banner-warning">{t('contacts.checkNoNumbers')}</p>
      ) : (
        <div className="inline-form">
          <label htmlFor={selectId}>{t('contacts.checkNumber')}</label>
          <select id={selectId} value={chosen} onChange={(e) => setNumberId(e.target.value)} disabled={running}>
            {connected.map((n) => (
              <option key={n.id} value={n.id}>{`${n.label} (${formatPhone(n.phone)})`}</option>
            ))}
          </select>
          {running ? (
            <button type="button" className="button-secondary" onClick={() => void api.call('contacts.checkCancel', { jobId: progress.jobId }).catch(() => undefined)}>
              {t('contacts.checkCancel')}
            </button>
          ) : (
            <button type="button" onClick={() => void start()} data-testid="check-start">{t('contacts.checkStart')}</button>
          )}
        </div>
      )}
      {progress && (
        <div data-testid="check-progress" data-status={progress.status}>
          <progress max={Math.max(1, progress.total)} value={progress.done} />
          <p>
            {progress.status === 'done'
              ? t('contacts.checkDone', { on: progress.onWhatsApp, off: progress.notOnWhatsApp })
              : progress.status === 'cancelled'
                ? t('contacts.checkCancelled')
                : progress.status === 'failed'
                  ? t('contacts.checkFailed')
                  : t('contacts.checkProgress', { done: progress.done, total: progress.total, on: progress.onWhatsApp, off: progress.notOnWhatsApp })}
          </p>
        </div>
      )}
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </section>
  );
}
