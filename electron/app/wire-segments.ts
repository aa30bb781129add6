import { RecurringRuns, type CampaignEngine, type CampaignsRepo } from '../campaigns';
import { mainText } from '../i18n';
import { AutoTags, SegmentsRepo, TagsRepo } from '../segments';
import type { Base } from './wire-base';

/** Tags, segments and the automatic tags; the recurring campaigns, which read their segments at each run. */
export function wireSegments(b: Base, d: { campaigns: CampaignsRepo; engine: CampaignEngine }) {
  const { db, clock, logger, settings, bus } = b;
  const tags = new TagsRepo(db, () => clock.now());
  const segments = new SegmentsRepo(db, () => clock.now());
  const autoTags = new AutoTags(db, tags, () => settings.get().language, () => clock.now());
  const recurring = new RecurringRuns({
    db,
    repo: d.campaigns,
    clock,
    logger,
    segment: (id) => segments.valid(id),
    // "Pan de la semana · 17 dic 2026": each run named by its day, as the user reads dates.
    runName: (name, at) => {
      const { language, timeZone } = settings.get();
      const day = new Intl.DateTimeFormat(language === 'es' ? 'es-MX' : 'en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(at);
      return `${name} · ${day.replace(/\.$/, '')}`;
    },
    followUpName: (name) => mainText(settings.get().language, 'campaign.followUpName', { name }),
    changed: (id) => {
      d.engine.markDirty(id);
      d.engine.wakeAll();
      bus.emit('recurring.changed', {});
    },
  });
  return { tags, segments, autoTags, recurring };
}
