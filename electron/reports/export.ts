import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { percentOfTargeted, type Report, type ReportRow } from '../../shared/reports';
import type { Language } from '../../shared/types';
import type { Db } from '../db';
import { downloadView, writeTable, type FileStore } from '../files';
import { hasMainText, mainText, type MainTextKey } from '../i18n';
import { reportRows } from './report';

const PAGE = 2000;

/** Why a send failed, was skipped or is in doubt, in the user's language; a code without words reads as "other". */
function reasonText(language: Language, reason: string): string {
  const key = `report.reasons.${reason}`;
  return hasMainText(key) ? mainText(language, key) : mainText(language, 'report.reasons.other', { code: reason });
}

/** The per-contact table (and, in XLSX, a summary sheet) with headers and states in the user's language. */
export async function exportReport(db: Db, files: FileStore, report: Report, state: ReportRow['state'] | null, format: 'csv' | 'xlsx', language: Language) {
  const t = (key: MainTextKey) => mainText(language, key);
  const when = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
  const header = [t('report.name'), t('report.phone'), t('report.state'), t('report.reason'), t('report.number'), t('report.sentAt'), t('report.deliveredAt'), t('report.readAt'), t('report.replied'), t('report.optedOutColumn'), t('consent.column')];
  const toRow = (r: ReportRow) => [
    r.name ?? '',
    r.phone,
    t(`report.states.${r.state}` as MainTextKey),
    r.reason === null ? '' : reasonText(language, r.reason),
    r.numberLabel ?? '',
    when(r.sentAt),
    when(r.deliveredAt),
    when(r.readAt),
    r.replied ? t('report.yes') : t('report.no'),
    r.optedOut ? t('report.yes') : t('report.no'),
    r.consent === 'yes' ? t('consent.yes') : r.consent === 'no' ? t('consent.no') : t('consent.unknown'),
  ];
  const download = files.createDownload(`${report.name} - ${t('report.fileSuffix')}.${format}`);

  async function* pages(): AsyncGenerator<ReportRow[]> {
    for (let offset = 0; ; offset += PAGE) {
      const { rows } = reportRows(db, report.campaignId, state, offset, PAGE);
      if (rows.length === 0) return;
      yield rows;
      await yieldToLoop();
    }
  }

  const figures: [MainTextKey, number][] = [
    ['report.targeted', report.targeted],
    ['report.sent', report.sent],
    ['report.delivered', report.delivered],
    ['report.read', report.read],
    ['report.failed', report.failed],
    ['report.skipped', report.skipped],
    ['report.repliedCount', report.replied],
    ['report.optedOut', report.optedOut],
  ];
  await writeTable(download.path, format, { sheet: t('report.contactsSheet'), header, pages: pages(), toRow }, (workbook) => {
    const summary = workbook.addWorksheet(t('report.summarySheet'));
    summary.columns = [{ width: 34 }, { width: 14 }, { width: 12 }];
    summary.addRow([report.name]).commit();
    summary.addRow([t('report.figure'), t('report.count'), '%']).commit();
    for (const [key, n] of figures) summary.addRow([t(key), n, key === 'report.skipped' ? '' : percentOfTargeted(report, n)]).commit();
    summary.commit();
  });
  return downloadView(download.commit());
}
