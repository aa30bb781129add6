import type { CountryCode } from '../phones';
import type { HandlerGroup } from '../core/dispatcher';
import { AppError } from '../core/app-error';
import type { EventBus } from '../core/event-bus';
import { downloadView, type FileStore } from '../files';
import type { SessionManager } from '../whatsapp';
import type { SettingsStore } from '../settings';
import { mainText } from '../i18n';
import type { ContactsRepo, ResolvedFilter } from './contacts-repo';
import type { ContactFilter } from '../../shared/contacts';
import type { SegmentRules } from '../../shared/segments';
import type { ContactQueries } from './contact-queries';
import { exportContacts } from './export';
import type { ImportJobs } from './import/import-jobs';
import type { WhatsAppCheck } from './whatsapp-check';
import { toWallClock } from '../../shared/time-zone';
import { sampleFile } from './import/sample-file';

export function contactsHandlers(deps: {
  repo: ContactsRepo;
  /** The table's blocks, read off the main thread. */
  queries: ContactQueries;
  imports: ImportJobs;
  check: WhatsAppCheck;
  files: FileStore;
  sessions: SessionManager;
  settings: SettingsStore;
  bus: EventBus;
  /** A segment's rules (null: no such segment), and the moment they are judged at: for a filter by segment. */
  segment: (id: number) => SegmentRules | null;
  now: () => number;
}) {
  const { repo, imports, bus } = deps;
  const resolve = ({ segmentId, ...filter }: ContactFilter): ResolvedFilter => {
    if (!segmentId) return filter;
    const rules = deps.segment(segmentId);
    if (!rules) throw new AppError('not_found', `no segment ${segmentId}`, 'segmentId');
    return { ...filter, segment: { rules, now: deps.now() } };
  };
  const changed = (reason: 'edit' | 'opt_out' | 'lists') => bus.emit('contacts.changed', { reason });
  return {
    'contacts.preview': ({ uploadId, sheet, headerRow }) => imports.preview(uploadId, { sheet, headerRow }),
    'contacts.import': (input) => imports.start(input),
    'contacts.importCancel': ({ jobId }) => ({ cancelled: imports.cancel(jobId) }),
    'contacts.importSummary': ({ importId }) => imports.summary(importId),
    'contacts.importNotices': () => ({ notices: imports.notices() }),
    'contacts.importNoticeSeen': ({ id }) => {
      imports.noticeSeen(id);
      bus.emit('contacts.changed', { reason: 'import' });
      return { id };
    },
    'contacts.importHistory': () => imports.history(),
    // As many as one bulk action takes (contacts.delete, lists.addMembers: 10,000).
    'contacts.ids': (filter) => repo.ids(resolve(filter), 10_000),
    'contacts.sampleFile': async ({ format }) => downloadView(await sampleFile(deps.files, format, deps.settings.get().language)),
    'contacts.importRejectsFile': async ({ importId, kind }) => downloadView(await imports.rejectsCsv(importId, kind ?? 'rejected')),
    'contacts.query': ({ offset, limit, withTotal, ...filter }) => deps.queries.query(resolve(filter), offset, limit, withTotal ?? true),
    'contacts.get': ({ id }) => repo.detail(id),
    'contacts.update': ({ id, ...patch }) => {
      // A phone typed without a country code is read as Mexican, like imports by default.
      const contact = repo.update(id, patch, 'MX' as CountryCode);
      changed('edit');
      return contact;
    },
    'contacts.delete': ({ ids }) => {
      const deleted = repo.delete(ids);
      changed('edit');
      return { deleted };
    },
    'contacts.optOut': ({ id }) => {
      repo.optOut(repo.get(id).phone, 'manual', 'user');
      changed('opt_out');
      return repo.get(id);
    },
    'contacts.undoOptOut': ({ id }) => {
      repo.undoOptOut(repo.get(id).phone, 'user');
      changed('opt_out');
      return repo.get(id);
    },
    'contacts.fields': () => repo.fieldNames(),
    'contacts.export': async ({ filter, format }) => {
      const language = deps.settings.get().language;
      // Named after what was exported and when: "Clientes 2026-12-01.csv", not one "contactos.csv" after another.
      const list = filter.listId ? repo.lists().find((l) => l.id === filter.listId)?.name : undefined;
      const day = toWallClock(Date.now(), deps.settings.get().timeZone).slice(0, 10); // the user's date, not UTC's
      return downloadView(await exportContacts(repo, deps.files, resolve(filter), format, language, `${list ?? mainText(language, 'export.fileName')} ${day}`));
    },
    'contacts.checkWhatsApp': ({ listId, numberId }) => {
      const number = deps.sessions.connected(numberId);
      // Meta's Cloud API has no "is this number on WhatsApp" lookup: a send to someone who is not fails (131026).
      if (number?.kind === 'cloud') throw new AppError('not_available', 'the Cloud API cannot check who is on WhatsApp', 'numberId');
      return deps.check.start(listId, number?.driver, number?.kind ?? 'real');
    },
    'contacts.checkCancel': ({ jobId }) => {
      deps.check.cancel(jobId);
      return { jobId };
    },
    'lists.list': () => repo.lists(),
    'lists.create': ({ name }) => {
      const list = repo.createList(name);
      changed('lists');
      return list;
    },
    'lists.rename': ({ id, name }) => {
      const list = repo.renameList(id, name);
      changed('lists');
      return list;
    },
    'lists.delete': ({ id }) => {
      repo.deleteList(id);
      changed('lists');
      return { id };
    },
    'lists.addMembers': ({ listId, contactIds }) => {
      const result = { changed: repo.addMembers(listId, contactIds) };
      changed('lists');
      return result;
    },
    'lists.removeMembers': ({ listId, contactIds }) => {
      const result = { changed: repo.removeMembers(listId, contactIds) };
      changed('lists');
      return result;
    },
  } satisfies HandlerGroup;
}
