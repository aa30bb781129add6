import type { Language } from '../../../shared/types';
import { writeTable, type FileStore } from '../../files';
import { mainText, type MainTextKey } from '../../i18n';

/** The sample list, in the user's language: a phone in each local form the import understands. */
const ROWS: Record<Language, (string | number)[][]> = {
  es: [
    ['Ana López', '55 1234 5678', 'CDMX', 'Pan dulce'],
    ['José Pérez García', '+52 1 81 2345 6789', 'Monterrey', 'Pasteles'],
    ['Luisa Martínez', '044 33 3616 0000', 'Guadalajara', ''],
  ],
  en: [
    ['Ana López', '55 1234 5678', 'Mexico City', 'Sweet bread'],
    ['José Pérez García', '+52 1 81 2345 6789', 'Monterrey', 'Cakes'],
    ['Luisa Martínez', '044 33 3616 0000', 'Guadalajara', ''],
  ],
};

/**
 * A file to fill in and import: a header row (name, phone, two fields to use in messages) and three example rows.
 * Made by the main process like every download, so it saves the same way on the desktop and in a browser.
 */
export async function sampleFile(files: FileStore, format: 'csv' | 'xlsx', language: Language) {
  const t = (key: MainTextKey) => mainText(language, key);
  const download = files.createDownload(`${t('sample.fileName')}.${format}`);
  const header = [t('sample.name'), t('sample.phone'), t('sample.city'), t('sample.likes')];
  async function* pages() {
    yield ROWS[language];
  }
  await writeTable(download.path, format, { sheet: t('sample.sheet'), header, pages: pages(), toRow: (row: (string | number)[]) => row });
  return download.commit();
}
