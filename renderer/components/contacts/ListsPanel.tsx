import { useState, type ReactNode } from 'react';
import type { ContactList } from '../../../shared/contacts';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { formatNumber } from '../../format';
import { GroupActions } from './GroupActions';

/** The lists on the left: pick one to filter, create, rename or delete. */
export function ListsPanel({ lists, selected, onSelect, allActive = true, children }: { lists: ContactList[]; selected: number | null; onSelect(id: number | null): void; allActive?: boolean; children?: ReactNode }) {
  const { t, language } = useI18n();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<number | null>(null);
  const [newName, setNewName] = useState('');
  const { run, error } = useAction();

  return (
    <aside className="lists-panel card" aria-label={t('contacts.lists')}>
      <button type="button" className={`list-item ${selected === null && allActive ? 'active' : ''}`} onClick={() => onSelect(null)} data-testid="list-all">
        {t('contacts.allContacts')}
      </button>
      <h2>{t('contacts.lists')}</h2>
      <ul className="lists">
        {lists.map((list) => (
          <li key={list.id}>
            {renaming === list.id ? (
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void run(() => api.call('lists.rename', { id: list.id, name: newName })).then((ok) => ok && setRenaming(null));
                }}
              >
                <input aria-label={t('contacts.rename')} value={newName} onChange={(e) => setNewName(e.target.value)} autoFocus />
                <button type="submit">{t('contacts.save')}</button>
              </form>
            ) : (
              <button
                type="button"
                className={`list-item ${selected === list.id ? 'active' : ''}`}
                onClick={() => onSelect(list.id)}
                data-testid={`list-${list.id}`}
                data-list-name={list.name}
              >
                <span>{list.name}</span> <span className="count">{formatNumber(list.count, language)}</span>
              </button>
            )}
            {selected === list.id && renaming !== list.id && (
              <GroupActions
                question={t('contacts.confirmDeleteList', { name: list.name })}
                onRename={() => { setRenaming(list.id); setNewName(list.name); }}
                onDelete={() => void run(() => api.call('lists.delete', { id: list.id })).then(() => onSelect(null))}
              />
            )}
          </li>
        ))}
      </ul>
      <form
        className="inline-form new-list"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.call('lists.create', { name })).then((ok) => ok && setName(''));
        }}
      >
        <input aria-label={t('contacts.newList')} placeholder={t('contacts.newListPlaceholder')} value={name} onChange={(e) => setName(e.target.value)} data-testid="new-list-name" />
        <button type="submit" disabled={name.trim() === ''} data-testid="create-list">{t('contacts.create')}</button>
      </form>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
      {children}
    </aside>
  );
}
