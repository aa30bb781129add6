import { useEffect, useId, useState } from 'react';
import type { ImportHistoryItem } from '../../../shared/contacts';
import { api } from '../../api/client';
import { saveDownload } from '../../api/files';
import { formatWhen } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** Beside the file picker: a sample file to fill in, contacts pasted from a spreadsheet, and the past imports. */
export function ImportStart(props: { busy: boolean; onPasted(file: File): void; onOpenSummary(importId: number): void }) {
  const { t, language } = useI18n();
  const [pasted, setPasted] = useState('');
  const [history, setHistory] = useState<ImportHistoryItem[]>([]);
  const pasteId = useId();

  useEffect(() => {
    api.call('contacts.importHistory', {}).then(setHistory, () => undefined);
  }, []);

  const sample = async (format: 'csv' | 'xlsx') => {
    const file = await api.call('contacts.sampleFile', { format });
    saveDownload(file.url, file.fileName);
  };

  return (
    <>
      <div className="two-columns">
        <section className="card" data-testid="import-sample">
          <h2>{t('import.sampleFile')}</h2>
          <p className="hint">{t('import.sampleHelp')}</p>
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => void sample('xlsx')} data-testid="sample-xlsx">{t('import.sampleXlsx')}</button>
            <button type="button" className="button-secondary" onClick={() => void sample('csv')} data-testid="sample-csv">{t('import.sampleCsv')}</button>
          </div>
        </section>
        <section className="card" data-testid="import-paste">
          <h2><label htmlFor={pasteId}>{t('import.pasteTitle')}</label></h2>
          <p className="hint">{t('import.pasteHelp')}</p>
          <textarea id={pasteId} rows={4} className="wide-textarea" value={pasted} placeholder={t('import.pastePlaceholder')} onChange={(e) => setPasted(e.target.value)} data-testid="paste-area" />
          <div className="actions">
            <button
              type="button"
              disabled={props.busy || pasted.trim() === ''}
              // Pasted rows from a spreadsheet are tab-separated text: they go through the same reader as a file.
              onClick={() => props.onPasted(new File([pasted], `${t('import.pastedName')}.txt`, { type: 'text/plain' }))}
              data-testid="paste-use"
            >
              {t('import.pasteUse')}
            </button>
          </div>
        </section>
      </div>
      <section className="card" data-testid="import-history">
        <h2>{t('import.historyTitle')}</h2>
        {history.length === 0 ? (
          <p className="hint">{t('import.historyEmpty')}</p>
        ) : (
          <table className="preview">
            <thead>
              <tr>
                <th scope="col">{t('import.historyWhen')}</th>
                <th scope="col">{t('import.historyFile')}</th>
                <th scope="col">{t('import.historyList')}</th>
                <th scope="col">{t('import.historyResult')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.importId} data-testid="history-row">
                  <td>{formatWhen(h.createdAt, language)}</td>
                  <td>{h.fileName}</td>
                  <td>{h.listName ?? '—'}</td>
                  <td className="muted">{t('import.historyLine', { imported: h.imported, updated: h.updated, duplicates: h.duplicates, rejected: h.rejected })}</td>
                  <td>
                    <button type="button" className="button-link" onClick={() => props.onOpenSummary(h.importId)} data-testid="history-open">{t('import.historyOpen')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
