import { useEffect, useState } from 'react';
import type { MediaView } from '../../../shared/messages';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ChatPreview, type PreviewItem } from '../messages/ChatPreview';
import { MissingFields, type Coverage } from '../messages/MissingFields';

/**
 * A campaign's message as a few of its own contacts will get it (never one who opted out), with its attachment,
 * and another draw on request. `onItems` hands the drawn contacts on (the test send can use their data).
 */
export function CampaignMessagePreview(props: { body: string; media: MediaView | null; listIds: number[]; segmentIds?: number[]; sample?: number; showMissing?: boolean; onItems?(items: PreviewItem[]): void }) {
  const { t } = useI18n();
  const [seed, setSeed] = useState(1);
  const [items, setItems] = useState<PreviewItem[]>([]);
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const { body, listIds, sample, onItems } = props;
  const lists = listIds.join(',');
  const segments = (props.segmentIds ?? []).join(',');

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const ids = (text: string) => (text ? text.split(',').map(Number) : []);
      api.call('messages.preview', { body, listIds: ids(lists), segmentIds: ids(segments), sample: sample ?? 2, seed }).then(
        (result) => {
          if (!live) return;
          setItems(result.items);
          setCoverage(result.coverage);
          onItems?.(result.items);
        },
        () => undefined,
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body, lists, segments, sample, seed, onItems]);

  if (body.trim() === '') return null;
  return (
    <div className="campaign-preview" data-testid="campaign-preview">
      {props.showMissing && <MissingFields coverage={coverage} />}
      <ChatPreview items={items} media={props.media} />
      <button type="button" className="button-link" onClick={() => setSeed((s) => s + 1)} data-testid="campaign-preview-another">
        {t('messages.previewAnother')}
      </button>
    </div>
  );
}
