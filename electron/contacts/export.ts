import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Contact } from '../../shared/contacts';
import type { Language } from '../../shared/types';
import { writeTable, type FileStore } from '../files';
import { mainText, type MainTextKey } from '../i18n';
import type { ContactsRepo, ResolvedFilter } from './contacts-repo';

const PAGE = 2000;

/** Writes the contacts of a filter to CSV or XLSX with headers in the user's language; streams, page by page. */
export async function exportContacts(
  repo: ContactsRepo,
  files: FileStore,
  filter: ResolvedFilter,
  format: 'csv' | 'xlsx',
  language: Language,
  fileLabel: string,
): Promise<{ id: string; fileName: string }> {
  const t = (key: MainTextKey) => mainText(language, key);
  const fields = repo.fieldNames();
  // Consent last: the custom fields keep their columns, so an export imported again maps as before.
  const header = [t('export.name'), t('export.phone'), t('export.status'), t('export.whatsapp'), ...fields, t('consent.column'), t('consent.sourceColumn'), t('consent.atColumn')];
  const toRow = (c: Contact) => [
    c.name ?? '',
    c.phone,
    c.optedOut ? t('export.statusOptedOut') : t('export.statusActive'),
    c.waStatus === 'on_whatsapp' ? t('export.waYes') : c.waStatus === 'not_on_whatsapp' ? t('export.waNo') : t('export.waUnknown'),
    ...fields.map((f) => c.fields[f] ?? ''),
    c.consent === 'yes' ? t('consent.yes') : c.consent === 'no' ? t('consent.no') : t('consent.unknown'),
    c.consentSource ? t(`consent.source.${c.consentSource}` as MainTextKey) : '',
    c.consentAt === null ? '' : new Date(c.consentAt).toISOString().slice(0, 10),
  ];
  const download = files.createDownload(`${fileLabel}.${format}`);

  async function* pages(): AsyncGenerator<Contact[]> {
    let after = 0;
    for (;;) {
      const page = repo.pageAfter(filter, after, PAGE);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]?.id ?? after;
      await yieldToLoop();
    }
  }

  await writeTable(download.path, format, { sheet: t('export.sheet'), header, pages: pages(), toRow });
  const stored = download.commit();
  return { id: stored.id, fileName: stored.fileName };
}
