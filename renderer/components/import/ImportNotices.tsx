import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ImportNotice } from '../../../shared/contacts';
import { api } from '../../api/client';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

/**
 * What became of an import a crash or a close interrupted — finished at this start, dropped whole, or being
 * finished now — until the user says they have read it.
 */
export function ImportNotices() {
  const { t, language } = useI18n();
  const [notices, setNotices] = useState<ImportNotice[]>([]);
  const refresh = useCallback(() => {
    api.call('contacts.importNotices', {}).then((r) => setNotices(r.notices), () => undefined);
  }, []);
  useEffect(() => {
    refresh();
    const offChanged = api.on('contacts.changed', (e) => e.reason === 'import' && refresh());
    const offFinished = api.on('contacts.importFinished', () => refresh());
    return () => {
      offChanged();
      offFinished();
    };
  }, [refresh]);
  if (notices.length === 0) return null;
  const n = (value: number | null) => formatNumber(value ?? 0, language);
  return (
    <div className="import-notices" data-testid="import-notices">
      {notices.map((notice) => (
        <div
          key={notice.id ?? 'resuming'}
          role="status"
          className={`banner ${notice.kind === 'resumed' ? 'banner-ok' : 'banner-warning'} row-between`}
          data-testid={`import-notice-${notice.kind}`}
        >
          <span>{t(`import.notice.${notice.kind}`, { file: notice.fileName, saved: n(notice.saved), total: n(notice.total) })}</span>
          <span className="import-notice-actions">
            {notice.kind === 'resumed' && notice.listId !== null && <Link to={`/contactos?lista=${notice.listId}`}>{t('import.notice.seeList')}</Link>}
            {(notice.kind === 'discarded' || notice.kind === 'incomplete') && <Link to="/contactos/importar">{t('import.notice.importAgain')}</Link>}
            {notice.id !== null && (
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  const id = notice.id;
                  if (id !== null) api.call('contacts.importNoticeSeen', { id }).then(refresh, () => undefined);
                }}
                data-testid="import-notice-dismiss"
              >
                {t('import.notice.dismiss')}
              </button>
            )}
          </span>
        </div>
      ))}
    </div>
  );
}
