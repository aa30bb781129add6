import { useEffect, useState } from 'react';
import type { Segment, Tag } from '../../shared/segments';
import { api } from '../api/client';

/** Every tag with its count, kept live by `tags.changed` (and contacts changing: an opt-out tags someone). */
export function useTags(): Tag[] {
  const [tags, setTags] = useState<Tag[]>([]);
  useEffect(() => {
    const load = () => api.call('tags.list', {}).then(setTags, () => undefined);
    void load();
    const offTags = api.on('tags.changed', () => void load());
    const offContacts = api.on('contacts.changed', () => void load());
    return () => {
      offTags();
      offContacts();
    };
  }, []);
  return tags;
}

/** Every saved segment, kept live by `segments.changed`. */
export function useSegments(): { segments: Segment[] | undefined } {
  const [segments, setSegments] = useState<Segment[]>();
  useEffect(() => {
    const load = () => api.call('segments.list', {}).then(setSegments, () => undefined);
    void load();
    return api.on('segments.changed', () => void load());
  }, []);
  return { segments };
}
