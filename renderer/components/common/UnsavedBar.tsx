import { useI18n } from '../../i18n/i18n';

/** "You have unsaved changes": save them and go on, drop them, or keep editing. */
export function UnsavedBar(props: { name: string; onSave(): void; onDiscard(): void; onStay(): void }) {
  const { t } = useI18n();
  return (
    <div className="banner banner-warning unsaved-bar" role="alertdialog" aria-label={t('unsaved.title')} data-testid="unsaved-confirm">
      <span>{props.name ? t('unsaved.named', { name: props.name }) : t('unsaved.unnamed')}</span>
      <span className="actions-inline">
        <button type="button" onClick={props.onSave} data-testid="unsaved-save">{t('unsaved.save')}</button>
        <button type="button" className="button-secondary button-danger-outline" onClick={props.onDiscard} data-testid="unsaved-discard">{t('unsaved.discard')}</button>
        <button type="button" className="button-secondary" onClick={props.onStay} data-testid="unsaved-stay">{t('unsaved.stay')}</button>
      </span>
    </div>
  );
}
