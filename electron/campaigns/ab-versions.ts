import type { CampaignSettings } from '../../shared/campaigns';
import { contactRandom } from '../messages';

/**
 * Which version of an A/B test a contact gets (seeded by the campaign and the contact, so a repeated fill draws the
 * same): in the test share, one of the versions at random; outside it, none yet (null) until the best is chosen,
 * then that one. A campaign with one version: always the first.
 */
export function abVersionOf(ab: CampaignSettings['abTest'], versions: number, seed: number): (contactId: number) => number | null {
  if (!ab) return () => 0;
  return (contactId) => {
    const draw = contactRandom(seed ^ 0x0ab7e57, contactId);
    const inTest = draw.next() < ab.testShare / 100;
    const version = Math.min(versions - 1, Math.floor(draw.next() * versions));
    if (inTest) return version;
    return ab.winner ?? null;
  };
}

/** An A/B test whose rest of the audience does not have its version yet (chosen and filled: `decidedAt`). */
export function awaitsChoice(ab: CampaignSettings['abTest']): boolean {
  return ab !== undefined && ab.testShare < 100 && ab.decidedAt === undefined;
}

