import { useId, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { ContactFilter } from '../../shared/contacts';
import { api } from '../api/client';
import { saveDownload } from '../api/files';
import { ContactEditor } from '../components/contacts/ContactEditor';
import { ContactsTable } from '../components/contacts/ContactsTable';
import { ListsPanel } from '../components/contacts/ListsPanel';
import { WhatsAppCheckPanel } from '../components/contacts/WhatsAppCheckPanel';
import { ImportNotices } from '../components/import/ImportNotices';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../state/use-action';
import { useContactPages } from '../state/use-contact-pages';
import { useSettled } from '../state/use-settled';
import { useLists } from '../state/use-lists';
import { TagsPanel } from '../components/contacts/TagsPanel';
import { useSegments, useTags } from '../state/use-tags';
import { useToast } from '../state/toast';

type Status = NonNullable<ContactFilter['status']>;

export function ContactsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const listId = params.get('lista') ? Number(params.get('lista')) : null;
  const tagId = params.get('etiqueta') ? Number(params.get('etiqueta')) : null;
  const segmentId = params.get('segmento') ? Number(params.get('segmento')) : null;
  const [search, setSearch] = useState(params.get('buscar') ?? '');
  const [status, setStatus] = useState<Status>('all');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<number | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { run, error } = useAction();
  const toast = useToast();
  const { lists } = useLists();
  const tags = useTags();
  const { segments } = useSegments();
  const segment = segmentId === null ? undefined : segments?.find((x) => x.id === segmentId);
  const searchId = useId();
  const statusId = useId();
  // The table asks once the typing pauses; clearing the box shows everyone at once.
  const settledSearch = useSettled(search, 200);
  const asked = search.trim() === '' ? '' : settledSearch;
  const filter = useMemo<ContactFilter>(() => ({ search: asked, status, listId, tagId, segmentId }), [asked, status, listId, tagId, segmentId]);
  const pages = useContactPages(filter);

  // One source at a time on the left: a list, a tag, or (from Segmentos) a segment.
  const selectList = (id: number | null) => {
    setSelected(new Set());
    setParams(id === null ? {} : { lista: String(id) });
  };
  const selectTag = (id: number | null) => {
    setSelected(new Set());
    setParams(id === null ? {} : { etiqueta: String(id) });
  };
  const tagSelected = (tagId: number) =>
    void run(() => api.call('tags.addContacts', { tagId, contactIds: ids })).then((ok) => {
      if (!ok) return;
      toast(t('tags.tagged', { count: ids.length, tag: tags.find((x) => x.id === tagId)?.name ?? '' }));
      setSelected(new Set());
    });
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const exportAs = (format: 'csv' | 'xlsx') =>
    run(async () => {
      const file = await api.call('contacts.export', { filter, format });
      saveDownload(file.url, file.fileName);
    });
  const ids = [...selected];
  const [capped, setCapped] = useState<number | null>(null);
  const allSelected = pages.total !== undefined && pages.total > 0 && selected.size >= Math.min(pages.total, 10_000);
  const selectAll = () =>
    run(async () => {
      if (allSelected) {
        setSelected(new Set());
        setCapped(null);
        return;
      }
      const found = await api.call('contacts.ids', filter);
      setSelected(new Set(found.ids));
      setCapped(found.total > found.ids.length ? found.total : null);
    });

  return (
    <section className="page page-wide" data-testid="page-contacts">
      <header className="page-header row-between">
        <h1>{t('contacts.title')}</h1>
        {/* In the header, beside the import: the table's toolbar keeps its room at 1280 px (#30 item 9). */}
        <span className="actions">
          <button type="button" className="button-secondary" onClick={() => void exportAs('csv')} data-testid="export-csv">{t('contacts.exportCsv')}</button>
          <button type="button" className="button-secondary" onClick={() => void exportAs('xlsx')} data-testid="export-xlsx">{t('contacts.exportXlsx')}</button>
          <Link className="button" to="/contactos/importar" data-testid="go-import">{t('contacts.import')}</Link>
        </span>
      </header>
      <ImportNotices />
      <div className={`contacts-layout ${editing !== null ? 'editing' : ''}`}>
        {editing === null && (
          <ListsPanel lists={lists} selected={listId} onSelect={selectList} allActive={tagId === null && segmentId === null}>
            <TagsPanel tags={tags} selected={tagId} onSelect={selectTag} />
          </ListsPanel>
        )}
        <div className="contacts-main">
          <div className="toolbar">
            <label htmlFor={searchId} className="visually-hidden">{t('contacts.search')}</label>
            <input id={searchId} type="search" placeholder={t('contacts.search')} value={search} onChange={(e) => setSearch(e.target.value)} data-testid="contacts-search" />
            <label htmlFor={statusId}>{t('contacts.status')}</label>
            <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value as Status)} data-testid="contacts-status">
              <option value="all">{t('contacts.statusAll')}</option>
              <option value="active">{t('contacts.statusActive')}</option>
              <option value="opted_out">{t('contacts.statusOptedOut')}</option>
              <option value="not_on_whatsapp">{t('contacts.statusNotOnWhatsApp')}</option>
            </select>
            <span className="count" data-testid="contacts-count">{pages.total === undefined ? '' : t('contacts.count', { count: pages.total })}</span>
          </div>
          {segmentId !== null && (
            <p className="banner banner-ok segment-filter" data-testid="segment-filter">
              {t('contacts.segmentFilter', { name: segment?.name ?? '' })}{' '}
              <Link to={`/segmentos?id=${segmentId}`} className="button-link">{t('contacts.segmentEdit')}</Link>{' '}
              <button type="button" className="button-link" onClick={() => selectList(null)} data-testid="segment-filter-clear">{t('contacts.filterClear')}</button>
            </p>
          )}
          {selected.size > 0 && (
            <div className="bulk-bar" role="group" data-testid="bulk-bar">
              <span>{t('contacts.selected', { count: selected.size })}</span>
              {capped !== null && <span className="hint" data-testid="select-capped">{t('contacts.selectCapped', { count: selected.size, total: capped })}</span>}
              <select
                aria-label={t('contacts.addToList')}
                value=""
                onChange={(e) => {
                  const target = Number(e.target.value);
                  if (target)
                    void run(() => api.call('lists.addMembers', { listId: target, contactIds: ids })).then((ok) => {
                      if (!ok) return;
                      toast(t('toast.addedToList', { count: ids.length, list: lists.find((l) => l.id === target)?.name ?? '' }));
                      setSelected(new Set());
                    });
                }}
                data-testid="bulk-add-to-list"
              >
                <option value="">{t('contacts.addToList')}</option>
                {lists.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
              </select>
              {tags.length > 0 && (
                <select aria-label={t('tags.bulkAdd')} value="" onChange={(e) => Number(e.target.value) && tagSelected(Number(e.target.value))} data-testid="bulk-tag">
                  <option value="">{t('tags.bulkAdd')}</option>
                  {tags.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
                </select>
              )}
              {tagId !== null && (
                <button type="button" className="button-secondary" onClick={() => void run(() => api.call('tags.removeContacts', { tagId, contactIds: ids })).then(() => setSelected(new Set()))} data-testid="bulk-untag">
                  {t('contacts.removeTag')}
                </button>
              )}
              {listId !== null && (
                <button type="button" className="button-secondary" onClick={() => void run(() => api.call('lists.removeMembers', { listId, contactIds: ids })).then(() => setSelected(new Set()))}>
                  {t('contacts.removeFromList')}
                </button>
              )}
              {confirmDelete ? (
                <span className="confirm">
                  {t('contacts.confirmDelete', { count: selected.size })}
                  <button type="button" className="button-danger" onClick={() => void run(() => api.call('contacts.delete', { ids })).then(() => { setSelected(new Set()); setConfirmDelete(false); })}>
                    {t('contacts.deleteSelected')}
                  </button>
                  <button type="button" className="button-secondary" onClick={() => setConfirmDelete(false)}>{t('contacts.cancel')}</button>
                </span>
              ) : (
                <button type="button" className="button-secondary button-danger-outline" onClick={() => setConfirmDelete(true)}>{t('contacts.deleteSelected')}</button>
              )}
            </div>
          )}
          {error && <p role="alert" className="banner banner-error">{error}</p>}
          {pages.total === 0 ? (
            <p className="empty card" data-testid="contacts-empty">{search || status !== 'all' || segmentId !== null ? t('contacts.empty') : tagId !== null ? t('contacts.emptyTag') : listId ? t('contacts.emptyList') : t('contacts.emptyAll')}</p>
          ) : (
            <ContactsTable
              total={pages.total ?? 0}
              row={pages.row}
              ensure={pages.ensure}
              version={pages.version}
              selected={selected}
              onToggle={toggle}
              onEdit={setEditing}
              allSelected={allSelected}
              onToggleAll={() => void selectAll()}
            />
          )}
          {listId !== null && <WhatsAppCheckPanel listId={listId} />}
        </div>
        {editing !== null && <ContactEditor key={editing} id={editing} onClose={() => setEditing(null)} />}
      </div>
    </section>
  );
}
