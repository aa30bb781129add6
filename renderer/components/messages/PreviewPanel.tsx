import { useEffect, useId, useState } from 'react';
import type { MediaView } from '../../../shared/messages';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useLists } from '../../state/use-lists';
import { ChatPreview, type PreviewItem } from './ChatPreview';
import { MissingFields, type Coverage } from './MissingFields';

/** The message as real contacts of a list will see it, in WhatsApp-like bubbles, attachment included. */
export function PreviewPanel({ body, media, onItems }: { body: string; media: MediaView | null; onItems(items: PreviewItem[]): void }) {
  const { t } = useI18n();
  const { lists } = useLists();
  const [listId, setListId] = useState<number | null>(null);
  const [seed, setSeed] = useState(1);
  const [items, setItems] = useState<PreviewItem[]>([]);
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const selectId = useId();
  const listName = lists.find((l) => l.id === listId)?.name ?? null;

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.call('messages.preview', { body, listId, sample: 2, seed }).then(
        (result) => {
          if (!live) return;
          setItems(result.items);
          setCoverage(result.coverage);
          onItems(result.items);
        },
        () => undefined,
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body, listId, seed, onItems]);

  return (
    <section className="card preview-panel" data-testid="preview-panel">
      <header className="number-head">
        <h2>{t('messages.previewTitle')}</h2>
        <button type="button" className="button-secondary" onClick={() => setSeed((s) => s + 1)} data-testid="preview-another">{t('messages.previewAnother')}</button>
      </header>
      <div className="inline-form">
        <label htmlFor={selectId}>{t('messages.previewList')}</label>
        <select id={selectId} value={listId ?? ''} onChange={(e) => setListId(e.target.value ? Number(e.target.value) : null)} data-testid="preview-list">
          <option value="">{t('messages.previewAll')}</option>
          {lists.map((l) => (
            <option key={l.id} value={l.id}>{l.name}</option>
          ))}
        </select>
      </div>
      <MissingFields coverage={coverage} listName={listName} />
      <ChatPreview items={items} media={media} />
    </section>
  );
}
