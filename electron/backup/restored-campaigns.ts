import type Database from 'better-sqlite3';

/** A campaign that came back from a backup paused, and what it still has to send once the user confirms. */
export type HeldCampaign = { id: number; name: string; pending: number; inDoubt: number };

/**
 * The backup cannot know what went out after it was taken — on the computer it came from, or on this one before a
 * restore. So a campaign only the backup knew comes back paused if it was running, paused or scheduled, and sends
 * nothing until the user confirms (the brake's `needs_confirmation`); its queued rows are asked of WhatsApp one by
 * one before they go (`reason = 'restored'`: the engine's `askRestored`), and rows caught mid-send stay `sending`,
 * reconciled with the driver's `findSent` like after a crash. An automation message (kind `api`) has no one to
 * confirm it, nor has an answer from a chat (kind `chat`): what they had not sent is left in doubt, never sent blindly.
 */
export function holdRestoredCampaigns(db: Database.Database, ids: number[], takenAt: number | null): HeldCampaign[] {
  if (ids.length === 0) return [];
  const held: HeldCampaign[] = [];
  const campaign = db.prepare("SELECT id, name, kind FROM campaigns WHERE id = ? AND state IN ('running', 'paused', 'scheduled')");
  const pause = db.prepare(
    "UPDATE campaigns SET state = 'paused', pause_reason = 'restored', pause_detail = NULL, needs_confirmation = 1, restored_hold_at = ? WHERE id = ?",
  );
  const askFirst = db.prepare("UPDATE sends SET reason = 'restored' WHERE campaign_id = ? AND state = 'queued'");
  const doubt = db.prepare("UPDATE sends SET state = 'in_doubt', reason = 'restored' WHERE campaign_id = ? AND state IN ('queued', 'sending')");
  const count = db.prepare("SELECT SUM(state IN ('queued', 'sending')) AS pending, SUM(state = 'in_doubt') AS doubt FROM sends WHERE campaign_id = ?");
  db.transaction(() => {
    for (const id of ids) {
      const row = campaign.get(id) as { id: number; name: string; kind: string } | undefined;
      if (!row) continue;
      if (row.kind !== 'campaign') {
        doubt.run(id);
        continue;
      }
      pause.run(takenAt, id);
      askFirst.run(id);
      const counts = count.get(id) as { pending: number | null; doubt: number | null };
      held.push({ id, name: row.name, pending: counts.pending ?? 0, inDoubt: counts.doubt ?? 0 });
    }
  })();
  return held;
}
