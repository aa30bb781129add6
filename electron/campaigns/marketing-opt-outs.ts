import type { Db } from '../db';
import { statement } from '../db/statement-cache';

/**
 * Who tapped "Stop promotions" (#36): never marketing again — a campaign of the user's, or a Cloud campaign whose
 * template Meta put in MARKETING. What they are still sent: an answer in their chat, an API message the user's
 * system sends on its own account, a Cloud campaign of a utility or authentication template.
 */
export class MarketingOptOuts {
  private readonly marketing = new Map<number, boolean>();

  constructor(private readonly db: Db, private readonly now: () => number) {}

  has(phone: string): boolean {
    return statement(this.db, 'SELECT 1 FROM marketing_opt_outs WHERE phone = ?').get(phone) !== undefined;
  }

  /** Recorded once (the first tap's time stays); the contact's queued marketing sends are skipped at once. */
  add(phone: string, source: string): number[] {
    return this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO marketing_opt_outs (phone, source, created_at) VALUES (?, ?, ?)').run(phone, source, this.now());
      const campaigns = (this.db.prepare("SELECT DISTINCT campaign_id FROM sends WHERE phone = ? AND state = 'queued'").pluck().all(phone) as number[]).filter((id) => this.isMarketing(id));
      const skip = this.db.prepare("UPDATE sends SET state = 'skipped', reason = 'opted_out', updated_at = ? WHERE phone = ? AND campaign_id = ? AND state = 'queued'");
      for (const id of campaigns) skip.run(this.now(), phone, id);
      return campaigns;
    })();
  }

  /** A campaign's kind and template do not change once made: judged once. */
  isMarketing(campaignId: number): boolean {
    let known = this.marketing.get(campaignId);
    if (known === undefined) {
      const row = this.db
        .prepare(
          `SELECT c.kind, t.category FROM campaigns c
           LEFT JOIN wa_templates t ON t.id = json_extract(c.settings, '$.cloud.templateId')
           WHERE c.id = ?`,
        )
        .get(campaignId) as { kind: string; category: string | null } | undefined;
      known = row !== undefined && row.kind === 'campaign' && (row.category === null || row.category.toUpperCase() === 'MARKETING');
      this.marketing.set(campaignId, known);
    }
    return known;
  }
}
