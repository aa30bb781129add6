import type { Tag } from '../../../shared/segments';
import { useI18n } from '../../i18n/i18n';

/** A contact's tags as chips (× takes one off), and a menu to add one of the others. */
export function ContactTags({ tags, all, onAdd, onRemove }: { tags: { id: number; name: string; auto: string | null }[]; all: Tag[]; onAdd(tagId: number): void; onRemove(tagId: number): void }) {
  const { t } = useI18n();
  const others = all.filter((tag) => !tags.some((x) => x.id === tag.id));
  return (
    <section className="contact-tags" data-testid="contact-tags">
      <h3>{t('tags.onContact')}</h3>
      {tags.length === 0 ? (
        <p className="hint">{t('tags.contactNone')}</p>
      ) : (
        <ul className="tag-chips">
          {tags.map((tag) => (
            <li key={tag.id} className={`tag-chip ${tag.auto ? 'auto' : ''}`} data-testid="contact-tag" data-tag-name={tag.name}>
              {tag.name}
              <button type="button" aria-label={t('tags.removeFromContact', { name: tag.name })} onClick={() => onRemove(tag.id)}>×</button>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <select aria-label={t('tags.addToContact')} value="" onChange={(e) => Number(e.target.value) && onAdd(Number(e.target.value))} data-testid="contact-tag-add">
          <option value="">{t('tags.addToContact')}</option>
          {others.map((tag) => <option key={tag.id} value={tag.id}>{tag.name}</option>)}
        </select>
      )}
    </section>
  );
}
