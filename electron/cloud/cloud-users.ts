import type { Db } from '../db';
import { statement } from '../db/statement-cache';
import { isBsuid } from './graph-client';

/**
 * A WhatsApp id as the contact's phone: Meta still writes Mexican mobiles with the old "1" after 52
 * (5215512345678) while the number is +52 55 1234 5678, as the app keeps it.
 */
export function phoneOf(waId: string): string {
  const digits = waId.replace(/\D/g, '');
  return /^521\d{10}$/.test(digits) ? `+52${digits.slice(3)}` : `+${digits}`;
}

/** A webhook's `contacts` entry: the phone (wa_id) when Meta gives it, the business-scoped user id, the username. */
export type WebhookContact = { wa_id?: string; user_id?: string; profile?: { name?: string; username?: string } };

/**
 * Business-scoped user ids (#36): since April 2026 Meta's webhooks carry each user's BSUID (`user_id`,
 * `from_user_id`, `recipient_user_id`), and once a user hides their phone behind a username, no phone at all
 * (Meta, "Business-scoped user IDs"). Each pair Meta gives (its contact book) is remembered, so a later webhook with
 * only the id still reaches the same contact; someone never seen with a phone is known by the id itself.
 */
export class CloudUsers {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  remember(contact: WebhookContact): void {
    const bsuid = contact.user_id?.trim();
    if (!bsuid || !isBsuid(bsuid)) return;
    const phone = contact.wa_id ? phoneOf(contact.wa_id) : null;
    statement(
      this.db,
      `INSERT INTO cloud_users (bsuid, phone, username, name, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (bsuid) DO UPDATE SET phone = COALESCE(excluded.phone, phone), username = COALESCE(excluded.username, username),
         name = COALESCE(excluded.name, name), updated_at = excluded.updated_at`,
    ).run(bsuid, phone, contact.profile?.username ?? null, contact.profile?.name ?? null, this.now());
  }

  /**
   * The contact a webhook's address is: a phone's digits as the phone, a BSUID as the phone Meta once paired with
   * it, else the BSUID itself (a contact with no phone, never dropped).
   */
  contactOf(address: string): string {
    if (!isBsuid(address)) return phoneOf(address);
    const known = statement(this.db, 'SELECT phone FROM cloud_users WHERE bsuid = ?').pluck().get(address) as string | null | undefined;
    return known ?? address;
  }

  /** Where to write to a contact: the phone's digits when it has one, else their BSUID. */
  addressOf(contact: string): string {
    return isBsuid(contact) ? contact : contact.replace(/^\+/, '');
  }
}
