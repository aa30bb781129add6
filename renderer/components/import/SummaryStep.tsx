import { Link } from 'react-router-dom';
import type { ImportSummary } from '../../../shared/contacts';
import { api } from '../../api/client';
import { saveDownload } from '../../api/files';
import { useI18n } from '../../i18n/i18n';
import { formatNumber } from '../../format';

/** Step 4: what the import did, every refused row with its reason, and the CSV to fix them. */
export function SummaryStep({ summary, onAnother }: { summary: ImportSummary; onAnother(): void }) {
  const { t, language } = useI18n();
  const rejected = summary.rejects.filter((r) => r.reason !== 'duplicate');
  const duplicates = summary.rejects.filter((r) => r.reason === 'duplicate');
  const shownRejected = rejected.length;
  const figures = [
    ['imported', summary.imported],
    ['updated', summary.updated],
    ['duplicates', summary.duplicates],
    ['rejected', summary.rejected],
  ] as const;
  const download = async (kind: 'rejected' | 'duplicates' = 'rejected') => {
    const file = await api.call('contacts.importRejectsFile', { importId: summary.importId, kind });
    saveDownload(file.url, file.fileName);
  };

  return (
    <div data-testid="import-summary">
      <h2>{t('import.summaryTitle')}</h2>
      <div className="figures">
        {figures.map(([key, value]) => (
          <div key={key} className={`figure figure-${key}`} data-testid={`summary-${key}`}>
            <span className="figure-value">{formatNumber(value, language)}</span>
            <span className="figure-label">{t(key === 'updated' && summary.existing === 'keep' ? 'import.keptExisting' : `import.${key}`)}</span>
          </div>
        ))}
      </div>
      {summary.repairedLines > 0 && (
        <p className="banner banner-ok" data-testid="summary-repaired">{t('import.repairedLines', { count: summary.repairedLines })}</p>
      )}
      {summary.rejected > 0 && (
        <section className="card">
          <h3>{t('import.rejectsTitle')}</h3>
          <table className="preview" data-testid="rejects-table">
            <thead>
              <tr>
                <th scope="col">{t('import.colRow')}</th>
                <th scope="col">{t('import.colReason')}</th>
                <th scope="col">{t('import.colData')}</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((r) => (
                <tr key={r.rowNumber} data-row={r.rowNumber}>
                  <td>{r.rowNumber}</td>
                  <td>{t(`import.reasons.${r.reason}`)}</td>
                  <td className="muted">{r.cells.filter(Boolean).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {summary.rejected > shownRejected && <p className="hint">{t('import.moreRejects', { count: summary.rejected - shownRejected })}</p>}
          <div className="actions">
            <button type="button" onClick={() => void download('rejected')} data-testid="download-rejects">{t('import.downloadRejects')}</button>
          </div>
          <p className="hint">{t('import.downloadHelp')}</p>
        </section>
      )}
      {duplicates.length > 0 && (
        <section className="card">
          <h3>{t('import.duplicatesTitle')}</h3>
          <table className="preview" data-testid="duplicates-table">
            <thead>
              <tr>
                <th scope="col">{t('import.colRow')}</th>
                <th scope="col">{t('import.colRepeats')}</th>
                <th scope="col">{t('import.colData')}</th>
              </tr>
            </thead>
            <tbody>
              {duplicates.slice(0, 200).map((r) => (
                <tr key={r.rowNumber} data-row={r.rowNumber}>
                  <td>{r.rowNumber}</td>
                  <td>{t('import.reasons.duplicate', { row: r.duplicateOf ?? '' })}</td>
                  <td className="muted">{r.cells.filter(Boolean).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {summary.duplicates > Math.min(200, duplicates.length) && (
            <p className="hint" data-testid="duplicates-shown">{t('import.shownOf', { shown: Math.min(200, duplicates.length), total: summary.duplicates })}</p>
          )}
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => void download('duplicates')} data-testid="download-duplicates">{t('import.downloadDuplicates')}</button>
          </div>
        </section>
      )}
      <div className="actions">
        {summary.listId !== null && (
          <Link className="button" to={`/contactos?lista=${summary.listId}`} data-testid="view-list">{t('import.viewList')}</Link>
        )}
        <button type="button" className="button-secondary" onClick={onAnother} data-testid="import-another">{t('import.importAnother')}</button>
      </div>
    </div>
  );
}
