import type { MediaView, Template } from '../../shared/messages';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import { SLOW_ABOVE, type MediaStore } from './media';

type DbTemplate = { id: number; kind: 'message' | 'answer'; name: string; body: string; media_id: string | null; created_at: number; updated_at: number };

export function mediaView(media: MediaStore, id: string): MediaView {
  const m = media.get(id);
  return { ...m, slow: m.size > SLOW_ABOVE, textApart: m.kind === 'audio' || m.kind === 'voice' || m.kind === 'sticker', url: `/api/media/${m.id}` };
}

/** Saved messages. A campaign copies body and media when it starts, so edits never rewrite history. */
export class TemplatesRepo {
  constructor(
    private readonly db: Db,
    private readonly media: MediaStore,
    private readonly now: () => number,
  ) {}

  list(kind: Template['kind'] = 'message'): Template[] {
    return (this.db.prepare('SELECT * FROM templates WHERE kind = ? ORDER BY updated_at DESC, id DESC').all(kind) as DbTemplate[]).map((r) => this.fromDb(r));
  }

  get(id: number): Template {
    const row = this.db.prepare('SELECT * FROM templates WHERE id = ?').get(id) as DbTemplate | undefined;
    if (!row) throw new AppError('not_found', `no template ${id}`, 'id');
    return this.fromDb(row);
  }

  save(input: { id?: number | undefined; kind?: Template['kind'] | undefined; name: string; body: string; mediaId: string | null }): Template {
    if (input.mediaId) this.media.get(input.mediaId);
    const now = this.now();
    if (input.id === undefined) {
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO templates (kind, name, body, media_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(input.kind ?? 'message', input.name, input.body, input.mediaId, now, now);
      return this.get(Number(lastInsertRowid));
    }
    this.get(input.id);
    this.db.prepare('UPDATE templates SET name = ?, body = ?, media_id = ?, updated_at = ? WHERE id = ?').run(input.name, input.body, input.mediaId, now, input.id);
    return this.get(input.id);
  }

  duplicate(id: number, suffix: string): Template {
    const original = this.get(id);
    return this.save({ kind: original.kind, name: `${original.name} (${suffix})`, body: original.body, mediaId: original.media?.id ?? null });
  }

  delete(id: number): void {
    this.get(id);
    this.db.prepare('DELETE FROM templates WHERE id = ?').run(id);
  }

  private fromDb(row: DbTemplate): Template {
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      body: row.body,
      media: row.media_id ? mediaView(this.media, row.media_id) : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
