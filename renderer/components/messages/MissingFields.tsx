import { useI18n } from '../../i18n/i18n';

export type Coverage = { total: number; missing: { field: string; count: number }[] };

/**
 * Who a field of the message leaves out, said where the message is written (#30 item 2: a message with {{Ciudad}}
 * that 7 of 13 contacts lack scored 100/100, and only the last step said 7 would be skipped), with the way to keep them.
 */
export function MissingFields({ coverage, listName }: { coverage: Coverage | null; listName?: string | null }) {
  const { t } = useI18n();
  if (!coverage) return null;
  return (
    <>
      {coverage.missing.map((m) => (
        <p key={m.field} className="banner banner-warning" data-testid="preview-missing-field">
          {t(listName ? 'messages.missingFieldList' : 'messages.missingFieldAll', { count: m.count, total: coverage.total, field: m.field, list: listName ?? '' })}{' '}
          {t('messages.missingFieldFix', { example: `{{${m.field}|…}}` })}
        </p>
      ))}
    </>
  );
}
