import type { Dispatcher } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Clock } from '../core/clock';
import type { Random } from '../core/random';
import type { Logger } from '../core/logger';
import type { StorageGuard } from '../core/storage-guard';
import type { Db } from '../db';
import type { PickFile, SettingsStore } from '../settings';
import type { ContactSearchIndexer, ContactsRepo } from '../contacts';
import type { FileStore } from '../files';
import type { MediaStore } from '../messages';
import type { CampaignEngine, CampaignsRepo } from '../campaigns';
import type { RelayOptions } from '../cloud/relay-poller';
import type { ApiKeys, FetchOptions, Webhooks } from '../api';
import type { DriverFactory, SessionManager, SimBehaviour, SimWorld } from '../whatsapp';
import type { CloudAccounts, CloudWebhooks, RelayPoller, SecretBox } from '../cloud';
import type { AppInfo, UpdateStatus } from '../../shared/types';
import type { UpdateBackend, UpdateService } from '../updates';

/** How the app is built (the data folder, the clock, the drivers…): the shell, web mode and tests each give theirs. */
export type AppConfig = {
  dataDir: string;
  version: string;
  mode: AppInfo['mode'];
  demo?: boolean;
  /**
   * Demo numbers through the real driver in a real (headless) browser against the WhatsApp Web double, instead of
   * the fast simulator (`npm run web -- --demo --demo-browser`, for support and for testing the real stack).
   */
  demoBrowser?: boolean;
  clock?: Clock;
  random?: Random;
  /** Builds the driver of each number; tests pass their own, the default uses the simulator for demo numbers. */
  driverFactory?: DriverFactory;
  /** The simulator's seed and behaviour (demo numbers, tests, benchmarks). */
  simSeed?: number;
  simBehaviour?: Partial<SimBehaviour>;
  /** Where the simulator writes what it delivered (default: under the data folder); it stands for WhatsApp's side. */
  simRecordFile?: string;
  /** The desktop app's native file dialog, to choose the browser; web mode has none (it takes `--browser`). */
  pickBrowserFile?: PickFile;
  /**
   * The app's own updates: what fetches them (default: the generic feed, checked only — web mode), whether this
   * app installs them (`install`: the desktop app, with electron-updater), and the feed's address.
   */
  updates?: { backend?: UpdateBackend; mode?: UpdateStatus['mode']; feedUrl?: string; allowHttpLoopback?: boolean };
  /** Tests reach their own https server on 127.0.0.1 with a self-signed certificate (never the default). */
  mediaLinkOptions?: Pick<FetchOptions, 'allowAddress' | 'ca' | 'tempDir'>;
  /** The Cloud relay's connection: which addresses it may be on (public only by default) and extra CAs (tests). */
  relay?: RelayOptions;
  /** Free bytes on the data folder's disk (tests stand in for a disk that fills up); default: the OS's answer. */
  freeBytes?: (dir: string) => number;
  /** Seals Cloud API tokens: Electron's safeStorage in the desktop app; web mode keeps them in an owner-only file. */
  secretBox?: SecretBox;
  /** The Graph API's address and fetch (tests: the mock built from Meta's OpenAPI file). */
  cloud?: { graphUrl?: string; fetch?: typeof fetch };
};

export type App = {
  dispatcher: Dispatcher;
  bus: EventBus;
  settings: SettingsStore;
  sessions: SessionManager;
  world: SimWorld;
  contacts: ContactsRepo;
  /** The contacts' search index, caught up in the background. */
  searchIndex: ContactSearchIndexer;
  files: FileStore;
  media: MediaStore;
  campaigns: CampaignsRepo;
  engine: CampaignEngine;
  /** The app's own updates (started by web mode and the desktop app, not by tests unless they ask). */
  updates: UpdateService;
  /** The transport that serves the automation API says where (web mode's server, the desktop app's own). */
  setApiUrl(url: string | null): void;
  setApiNetwork(status: AppInfo['apiNetwork']): void;
  apiKeys: ApiKeys;
  webhooks: Webhooks;
  /** Cloud API numbers: their accounts, Meta's webhooks (served by the transport on the webhook port) and relays. */
  cloud: { accounts: CloudAccounts; webhooks: CloudWebhooks; relay: RelayPoller; setWebhookUrl(url: string | null): void };
  storage: StorageGuard;
  logger: Logger;
  db: Db;
  clock: Clock;
  random: Random;
  close(): Promise<void>;
};
