import type { CloudTemplateChoice, WaTemplate } from '../../shared/cloud';
import { callbackOf } from '../cloud/cloud-driver';
import type { OutgoingMessage } from '../whatsapp';
import type { EngineDeps } from './engine-context';
import type { OutboxRow } from './outbox';
import { pacerSettings } from './settings';
import type { PacerSettings } from './pacer';
import { templateSend } from './template-send';

/**
 * What the engine reads of a campaign and a number before each send, none of which changes once they exist (a
 * campaign's settings are fixed when it is made; a number never changes kind): read once, kept until the engine
 * starts again.
 */
export class CampaignFacts {
  private cloudNumbers = new Map<string, boolean>();
  private skipRecent = new Map<number, boolean>();
  private firstCampaigns = new Map<number, number>();
  private pacers = new Map<number, PacerSettings>();
  /** A Cloud send's template: the campaign's approved one (read once per campaign), with this contact's values. */
  private templates = new Map<number, { template: WaTemplate; choice: CloudTemplateChoice } | undefined>();

  constructor(private readonly deps: Pick<EngineDeps, 'repo' | 'cloud' | 'media'>) {}

  clear(): void {
    for (const cache of [this.cloudNumbers, this.skipRecent, this.firstCampaigns, this.pacers, this.templates]) cache.clear();
  }

  /** Whether a number is on the Cloud API. */
  isCloud(numberId: string): boolean {
    let cloud = this.cloudNumbers.get(numberId);
    if (cloud === undefined) {
      cloud = this.deps.cloud?.get(numberId) !== undefined;
      this.cloudNumbers.set(numberId, cloud);
    }
    return cloud;
  }

  /** Whether the campaign keeps the 24-hour rule (its own setting can turn it off, with a warning at launch). */
  skipsRecent(campaignId: number): boolean {
    let skips = this.skipRecent.get(campaignId);
    if (skips === undefined) {
      skips = this.deps.repo.settings(campaignId).skipRecent ?? true;
      this.skipRecent.set(campaignId, skips);
    }
    return skips;
  }

  /** A follow-up's first campaign (0 for any other campaign): its message is not "recent" to the follow-up. */
  firstCampaignOf(campaignId: number): number {
    let first = this.firstCampaigns.get(campaignId);
    if (first === undefined) {
      first = this.deps.repo.settings(campaignId).followUpOf?.campaignId ?? 0;
      this.firstCampaigns.set(campaignId, first);
    }
    return first;
  }

  /** How the campaign is paced: its pace and window, and for Cloud numbers the tier's daily limit. */
  pacerSettingsOf(campaignId: number): PacerSettings {
    let settings = this.pacers.get(campaignId);
    if (!settings) {
      const stored = this.deps.repo.settings(campaignId);
      const tier = stored.pace.preset === 'cloud' ? (this.deps.cloud?.dailyLimitOf(this.deps.repo.numbersOf(campaignId).map((n) => n.id)) ?? null) : null;
      settings = pacerSettings(stored, tier);
      this.pacers.set(campaignId, settings);
    }
    return settings;
  }

  /** What one send carries: its text, its file, and on Cloud numbers the template with this contact's values. */
  content(row: OutboxRow): OutgoingMessage {
    const template = row.params ? this.templateOf(row) : undefined;
    const base = template ? { text: row.text, template } : { text: row.text };
    if (!row.media_id) return base;
    const media = this.mediaFile(row.media_id);
    return media ? { ...base, media } : base;
  }

  private templateOf(row: OutboxRow): OutgoingMessage['template'] {
    if (!this.templates.has(row.campaign_id)) {
      const choice = this.deps.repo.settings(row.campaign_id).cloud;
      const template = choice ? this.deps.cloud?.template(choice.templateId) : undefined;
      this.templates.set(row.campaign_id, template && choice ? { template, choice } : undefined);
    }
    const known = this.templates.get(row.campaign_id);
    if (!known) return undefined;
    return templateSend(known.template, known.choice, JSON.parse(row.params ?? '[]') as string[], callbackOf(row.id), (id) => this.mediaFile(id));
  }

  private mediaFile(mediaId: string): NonNullable<OutgoingMessage['media']> | null {
    const file = this.deps.media.file(mediaId);
    if (!file) return null;
    const stored = this.deps.media.get(mediaId);
    return { path: file.path, mimeType: file.mime, fileName: stored.fileName, kind: stored.kind };
  }
}
