import type { WaLimitsStore } from '../whatsapp/wa-limits-store';
import type { z } from 'zod';
import type { CampaignEventSchema } from '../../shared/campaigns';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Random } from '../core/random';
import type { StorageGuard } from '../core/storage-guard';
import type { Db } from '../db';
import type { ContactsRepo } from '../contacts';
import type { CloudNumbersRepo } from '../cloud/cloud-numbers-repo';
import type { MediaStore } from '../messages';
import type { SettingsStore } from '../settings';
import type { SessionManager } from '../whatsapp';
import type { UnansweredCounter } from '../health/unanswered';
import type { CampaignsRepo } from './campaigns-repo';
import type { OutboxRow } from './outbox';

export type CampaignEvent = z.infer<typeof CampaignEventSchema>;

export type EngineDeps = {
  db: Db;
  bus: EventBus;
  sessions: SessionManager;
  repo: CampaignsRepo;
  contacts: ContactsRepo;
  media: MediaStore;
  settings: SettingsStore;
  clock: Clock;
  random: Random;
  logger: Logger;
  storage: StorageGuard;
  /** Cloud API numbers' accounts and templates (their tier paces a campaign; their template is what is sent). */
  cloud?: CloudNumbersRepo;
  /** What WhatsApp states of each number's limits; the engine keeps its own when not given (tests). */
  waLimits?: WaLimitsStore;
};

import type { MarketingOptOuts } from './marketing-opt-outs';

const LAST_EVENTS = 20;

/** The last things that happened in each campaign (sent, failed, replies, brakes…), for the live view. */
export class CampaignEvents {
  private events = new Map<number, CampaignEvent[]>();

  constructor(
    private readonly clock: Clock,
    private readonly changed: (campaignId: number) => void,
  ) {}

  push(campaignId: number, event: Omit<CampaignEvent, 'at'>): void {
    const list = this.events.get(campaignId) ?? [];
    list.unshift({ ...event, at: this.clock.now() });
    list.length = Math.min(list.length, LAST_EVENTS);
    this.events.set(campaignId, list);
    this.changed(campaignId);
  }

  /** What happened to one send. */
  note(row: OutboxRow, kind: CampaignEvent['kind'], detail: string | null): void {
    this.push(row.campaign_id, { kind, phone: row.phone, name: row.name, detail });
  }

  of(campaignId: number): CampaignEvent[] {
    return this.events.get(campaignId) ?? [];
  }
}

/** What the engine's parts share: the services, the live events, and a way to say a campaign's view changed. */
export type EngineContext = EngineDeps & { events: CampaignEvents; unanswered: UnansweredCounter; marketingOptOuts: MarketingOptOuts; markDirty(campaignId: number): void };
