import type { AutoTag } from '../../shared/segments';
import type { Language } from '../../shared/types';
import { statement, type Db } from '../db';
import { mainText } from '../i18n';
import type { TagsRepo } from './tags-repo';
import { logTagged, RETURNING_TAGGED, type Tagged } from './tag-log';

/**
 * The tags the app sets by itself (#35 item 1): "Respondió · Expo" on a reply to a campaign, "Leyó · Expo" on its
 * read receipt, "Dio de baja" on an opt-out and, when it is undone, "Volvió a aceptar" in its place. Contacts are
 * found by phone (a reply or opt-out from someone not in the contacts tags no one).
 */
export class AutoTags {
  constructor(
    private readonly db: Db,
    private readonly tags: TagsRepo,
    private readonly language: () => Language,
    private readonly now: () => number,
  ) {}

  replied(campaignId: number | null, phone: string): void {
    const campaign = this.campaignName(campaignId);
    if (campaign !== null) this.tagPhone(this.tagFor('replied', campaignId, campaign), phone);
  }

  /** Read receipts by contact id, as the outbox writes them (a burst of them in one transaction). */
  read(reads: { campaignId: number; contactId: number }[]): void {
    if (reads.length === 0) return;
    const insert = statement(this.db, `INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, source, added_at) SELECT ?, id, 'event', ? FROM contacts WHERE id = ? ${RETURNING_TAGGED}`);
    const now = this.now();
    const tags = new Map<number, number | null>();
    this.db.transaction(() => {
      for (const { campaignId, contactId } of reads) {
        if (!tags.has(campaignId)) {
          const campaign = this.campaignName(campaignId);
          tags.set(campaignId, campaign === null ? null : this.tagFor('read', campaignId, campaign));
        }
        const tag = tags.get(campaignId);
        if (tag) logTagged(this.db, insert.get(tag, now, contactId) as Tagged | undefined);
      }
    })();
  }

  optedOut(phone: string): void {
    this.untagPhone('opted_in', phone);
    this.tagPhone(this.tagFor('opted_out', null, ''), phone);
  }

  optedIn(phone: string): void {
    this.untagPhone('opted_out', phone);
    this.tagPhone(this.tagFor('opted_in', null, ''), phone);
  }

  /** Only the user's campaigns name a tag: a chat answer or an API message is no campaign anyone targets again. */
  private campaignName(campaignId: number | null): string | null {
    if (campaignId === null) return null;
    return (statement(this.db, "SELECT name FROM campaigns WHERE id = ? AND kind = 'campaign'").pluck().get(campaignId) as string | undefined) ?? null;
  }

  private tagFor(auto: AutoTag, campaignId: number | null, campaign: string): number {
    return this.tags.autoTag(auto, campaignId, mainText(this.language(), `tag.auto.${auto}`, { campaign }));
  }

  private tagPhone(tagId: number, phone: string): void {
    const insert = statement(this.db, `INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, source, added_at) SELECT ?, id, 'event', ? FROM contacts WHERE phone = ? ${RETURNING_TAGGED}`);
    this.db.transaction(() => logTagged(this.db, insert.get(tagId, this.now(), phone) as Tagged | undefined))();
  }

  private untagPhone(auto: AutoTag, phone: string): void {
    statement(this.db, 'DELETE FROM contact_tags WHERE tag_id IN (SELECT id FROM tags WHERE auto = ?) AND contact_id IN (SELECT id FROM contacts WHERE phone = ?)').run(auto, phone);
  }
}
