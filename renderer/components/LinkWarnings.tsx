import { useI18n } from '../i18n/i18n';

/** The three things that keep a linked number healthy, shown wherever a user links one. */
export function LinkWarnings() {
  const { t } = useI18n();
  return (
    <div className="warnings" data-testid="link-warnings">
      <h3>{t('numbers.warningsTitle')}</h3>
      <ul>
        <li>{t('numbers.warning1')}</li>
        <li>{t('numbers.warning2')}</li>
        <li>{t('numbers.warning3')}</li>
      </ul>
    </div>
  );
}
