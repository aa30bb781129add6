import { useState } from 'react';
import type { Tag } from '../../../shared/segments';
import { api } from '../../api/client';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { useAction } from '../../state/use-action';
import { GroupActions } from './GroupActions';

/** The tags under the lists: pick one to see its contacts; create, rename or delete them. */
export function TagsPanel({ tags, selected, onSelect }: { tags: Tag[]; selected: number | null; onSelect(id: number | null): void }) {
  const { t, language } = useI18n();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<number | null>(null);
  const [newName, setNewName] = useState('');
  const { run, error } = useAction();

  return (
    <section className="tags-panel" aria-label={t('tags.title')} data-testid="tags-panel">
      <h2>{t('tags.title')}</h2>
      {tags.length === 0 && <p className="hint">{t('tags.none')}</p>}
      <ul className="lists">
        {tags.map((tag) => (
          <li key={tag.id}>
            {renaming === tag.id ? (
              <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void run(() => api.call('tags.rename', { id: tag.id, name: newName })).then((ok) => ok && setRenaming(null)); }}>
                <input aria-label={t('tags.rename')} value={newName} onChange={(e) => setNewName(e.target.value)} autoFocus />
                <button type="submit">{t('tags.save')}</button>
              </form>
            ) : (
              <button type="button" className={`list-item ${selected === tag.id ? 'active' : ''}`} onClick={() => onSelect(tag.id)} data-testid={`tag-${tag.id}`} data-tag-name={tag.name} title={tag.auto ? t('tags.auto') : undefined}>
                <span>{tag.name}</span> <span className="count">{formatNumber(tag.count, language)}</span>
              </button>
            )}
            {selected === tag.id && renaming !== tag.id && (
              <GroupActions
                question={t('tags.confirmDelete', { name: tag.name })}
                onRename={() => { setRenaming(tag.id); setNewName(tag.name); }}
                onDelete={() => void run(() => api.call('tags.delete', { id: tag.id })).then(() => onSelect(null))}
                deleteTestId="tag-delete-confirm"
              />
            )}
          </li>
        ))}
      </ul>
      <form className="inline-form new-list" onSubmit={(e) => { e.preventDefault(); void run(() => api.call('tags.create', { name })).then((ok) => ok && setName('')); }}>
        <input aria-label={t('tags.new')} placeholder={t('tags.new')} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} data-testid="new-tag-name" />
        <button type="submit" disabled={name.trim() === ''} data-testid="create-tag">{t('tags.create')}</button>
      </form>
      {error && <p role="alert" className="banner banner-error">{error}</p>}
    </section>
  );
}
