import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';

/** Under the list or tag picked on the left: rename it, or delete it after a question that says what stays. */
export function GroupActions(props: { question: string; onRename(): void; onDelete(): void; deleteTestId?: string }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="list-actions">
      <button type="button" className="button-link" onClick={props.onRename}>{t('contacts.rename')}</button>
      {confirming ? (
        <span className="confirm">
          {props.question}
          <button type="button" className="button-danger" onClick={() => { setConfirming(false); props.onDelete(); }} data-testid={props.deleteTestId}>
            {t('contacts.delete')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>{t('contacts.cancel')}</button>
        </span>
      ) : (
        <button type="button" className="button-link" onClick={() => setConfirming(true)}>{t('contacts.delete')}</button>
      )}
    </div>
  );
}
