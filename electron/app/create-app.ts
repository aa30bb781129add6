import fs from 'node:fs';
import path from 'node:path';
import { appInfoHandlers } from './app-handlers';
import type { Base } from './wire-base';
import { cloudDrivers, cloudServices } from './wire-cloud';
import { wireApi } from './wire-api';
import { wireConversations } from './wire-conversations';
import { wireSegments } from './wire-segments';
import { wireUpdates } from './wire-updates';
import { wireEngineHooks } from './engine-hooks';
import { createDispatcher, mergeHandlers } from '../core/dispatcher';
import { EventBus } from '../core/event-bus';
import { systemClock } from '../core/clock';
import { seededRandom, type Random } from '../core/random';
import { createLogger } from '../core/logger';
import { lockDataDir } from '../core/data-lock';
import { keepOwnerOnly } from '../core/owner-only';
import { AppError } from '../core/app-error';
import { StorageGuard } from '../core/storage-guard';
import { openDatabase, scheduleCheckpoints, type Db } from '../db';
import { SettingsStore, settingsHandlers } from '../settings';
import { databaseFile } from './paths';
import { mainText } from '../i18n';
import { ContactQueries, ContactSearchIndexer, ContactsRepo, ImportJobs, WhatsAppCheck, contactsHandlers } from '../contacts';
import { WaLimitsStore } from '../whatsapp/wa-limits-store';
import { FileStore } from '../files';
import { MediaStore, TemplatesRepo, TestSender, messagesHandlers } from '../messages';
import { CampaignEngine, CampaignsRepo, audienceWhere, campaignsHandlers } from '../campaigns';
import { backupHandlers } from '../backup';
import { RequestLedger } from '../core/request-ledger';
import { healthHandlers } from '../health';
import { Inbox, inboxHandlers } from '../inbox';
import { conversationsHandlers } from '../conversations';
import { reportsHandlers } from '../reports';
import { segmentsHandlers } from '../segments';
import { apiHandlers, sweepLinkDownloads } from '../api';
import {
  defaultDriverFactory,
  isBrowserExecutable,
  findBrowser,
  numbersHandlers,
  NumbersRepo,
  SessionManager,
  SimWorld,
  type DriverFactory,
  type WhatsAppDriver,
} from '../whatsapp';
import { cloudHandlers } from '../cloud';
import type { AppInfo } from '../../shared/types';
import { updatesHandlers } from '../updates';

import type { App, AppConfig } from './app-types';

export type { App, AppConfig } from './app-types';

/**
 * A zero-byte `whatzme.db` in a folder that was used (sessions, attachments) is a database lost to a crash or a
 * sync tool, not a first start: SQLite would silently start empty and the user would think everything is gone.
 */
function refuseEmptiedDatabase(dataDir: string, dbFile: string): void {
  if (!fs.existsSync(dbFile) || fs.statSync(dbFile).size > 0) return;
  const used = ['sessions', 'media'].some((dir) => {
    try {
      return fs.readdirSync(path.join(dataDir, dir)).length > 0;
    } catch {
      return false;
    }
  });
  if (used) throw new AppError('db_empty', `${dbFile} is empty (0 bytes) in a data folder that was in use`);
}

/** Cloud API numbers get their driver here whatever factory builds the others (tests pass their own). */
function withCloud(factory: DriverFactory, cloud: (numberId: string) => WhatsAppDriver): DriverFactory {
  return (spec) => (spec.kind === 'cloud' ? cloud(spec.numberId) : factory(spec));
}

const hex6 = (random: Random) => random.int(0, 0xffffff).toString(16).padStart(6, '0');

/** The composition root: builds every service from a config; knows nothing of Electron or HTTP. */
export async function createApp(config: AppConfig): Promise<App> {
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  keepOwnerOnly(config.dataDir);
  // Before anything reads or writes the folder: a second instance on it would double the sends and the pace.
  const lock = lockDataDir(config.dataDir, { mode: config.mode, now: Date.now(), dbFile: databaseFile(config.dataDir) });
  const { logger, close: closeLog } = createLogger(config.dataDir);
  const clock = config.clock ?? systemClock;
  const random = config.random ?? seededRandom(Date.now());
  const dbFile = databaseFile(config.dataDir);
  let db: Db;
  try {
    refuseEmptiedDatabase(config.dataDir, dbFile);
    db = openDatabase(dbFile);
  } catch (error) {
    logger.error({ err: error, dbFile }, 'could not open the database');
    closeLog();
    lock.release();
    throw error;
  }
  const bus = new EventBus();
  const storage = new StorageGuard({ dataDir: config.dataDir, bus, logger, freeBytes: config.freeBytes });
  const stopCheckpoints = scheduleCheckpoints(db, (error) => {
    if (!storage.report(error)) logger.warn({ err: error }, 'checkpoint failed');
  });
  const settings = new SettingsStore(db);
  const files = new FileStore(config.dataDir, () => clock.now(), (error) => storage.report(error));
  const base: Base = { config, db, dbFile, bus, clock, random, logger, storage, settings, files };
  const cloudDriving = cloudDrivers(base);
  const cloudRepo = cloudDriving.repo;
  const world = new SimWorld(clock, config.simSeed ?? 20261125, config.simRecordFile ?? path.join(config.dataDir, 'simulator', 'deliveries.jsonl'), config.simBehaviour);
  // Loaded only when asked for: the double is the demo's, never the desktop app's (whose bundle has no import.meta).
  const demoBrowser = config.demoBrowser ? await (await import('../whatsapp/demo-browser')).DemoBrowser.start({ world, dataDir: config.dataDir, random }) : null;
  const realFactory = defaultDriverFactory({ dataDir: config.dataDir, world, clock, logger, settings });
  const browserPath = () => findBrowser({ preferred: settings.get().browserPath });
  const demoFactory: DriverFactory | null = demoBrowser
    ? (spec) => (spec.kind === 'demo' ? demoBrowser.driver({ numberId: spec.numberId, sessionDir: spec.sessionDir, clock, logger, browserPath }) : realFactory(spec))
    : null;
  // What WhatsApp states of each number's limits: shown with the number, obeyed by the campaigns (#32).
  const waLimits = new WaLimitsStore(db, clock, logger, (numberId) => {
    sessions.republish(numberId);
    engine.limitsChanged(numberId);
  });
  const sessions = new SessionManager({
    limits: waLimits,
    repo: new NumbersRepo(db),
    bus,
    logger,
    clock,
    sessionsDir: path.join(config.dataDir, 'sessions'),
    driverFactory: withCloud(config.driverFactory ?? demoFactory ?? realFactory, cloudDriving.driver),
    // From the injected Random when a test gives one, so a seeded run names its numbers the same every time.
    newId: config.random ? () => `n_${hex6(random)}${hex6(random)}` : undefined,
    defaultLabel: (kind) => mainText(settings.get().language, kind === 'demo' ? 'numbers.defaultDemoLabel' : kind === 'cloud' ? 'numbers.defaultCloudLabel' : 'numbers.defaultRealLabel'),
    ...(demoBrowser ? { demoBrowser } : {}),
  });
  files.sweep();
  sweepLinkDownloads(path.join(config.dataDir, 'tmp'));
  const contacts = new ContactsRepo(db, () => clock.now());
  // New contacts join the search index in the background (an import never waits for it); at start, what a crash or
  // a restore left unindexed.
  const searchIndex = new ContactSearchIndexer(db);
  const contactQueries = new ContactQueries(dbFile, contacts, logger);
  searchIndex.poke();
  bus.subscribe((envelope) => {
    if (envelope.event === 'contacts.changed') searchIndex.poke();
  });
  const imports = new ImportJobs({ db, bus, files, clock, logger, language: () => settings.get().language, space: storage.waiter() });
  imports.recover();
  const check = new WhatsAppCheck({ db, repo: contacts, bus, clock, random, logger });
  const media = new MediaStore(db, path.join(config.dataDir, 'media'), () => clock.now());
  const templates = new TemplatesRepo(db, media, () => clock.now());
  const tests = new TestSender({ db, bus, sessions, media, clock, logger });
  const campaigns = new CampaignsRepo(db, media, () => clock.now(), () => random.int(1, 2_000_000_000), () => settings.get().timeZone);
  const engine = new CampaignEngine({ db, bus, sessions, repo: campaigns, contacts, media, settings, clock, random, logger, storage, cloud: cloudRepo, waLimits });
  const cloud = cloudServices(base, cloudDriving, sessions);
  const updates = wireUpdates(base);
  const api = wireApi(base, { media, sessions, engine });
  const { keys: apiKeys, webhooks, sends: apiSends, feed } = api;
  const { repo: conversations, answers, autoReplier } = wireConversations(base, { media, sessions, engine, feed, cloud: cloudRepo });
  const { tags, segments, autoTags, recurring } = wireSegments(base, { campaigns, engine });
  wireEngineHooks({ engine, bus, autoReplier, autoTags, recurring, contacts, feed, conversations });

  let apiUrl: string | null = null;
  let apiNetwork: AppInfo['apiNetwork'] = null;
  const appHandlers = appInfoHandlers({
    config, db, dbFile, files, sessions, storage, clock,
    browser: () => findBrowser({ preferred: settings.get().browserPath }),
    settings: () => settings.get(),
    network: () => ({ apiUrl, apiNetwork }),
  });

  const dispatcher = createDispatcher(mergeHandlers(
      appHandlers,
      settingsHandlers(settings, bus, { pick: config.pickBrowserFile, isBrowser: (file) => isBrowserExecutable(file) }),
      numbersHandlers(sessions),
      contactsHandlers({ repo: contacts, queries: contactQueries, imports, check, files, sessions, settings, bus, segment: (id) => segments.find(id), now: () => clock.now() }),
      messagesHandlers({
        db, templates, media, files, contacts, tests, settings, cloudTemplate: (id) => cloudRepo.template(id),
        audience: (include, segmentIds) => {
          const chosen = segmentIds.map((id) => segments.find(id)).filter((x): x is NonNullable<typeof x> => x !== null);
          return include.length + chosen.length === 0 ? null : audienceWhere({ include, exclude: [], segments: chosen }, clock.now());
        },
      }),
      campaignsHandlers({ db, repo: campaigns, engine, sessions, now: () => clock.now(), userZone: () => settings.get().timeZone, cloud: cloudRepo, prices: () => settings.get().cloudPrices, segment: (id) => segments.valid(id), followUpName: (name) => mainText(settings.get().language, 'campaign.followUpName', { name }), recurring, bus }),
      segmentsHandlers({ db, tags, segments, bus, sample: (rules, limit) => contactQueries.query({ segment: { rules, now: clock.now() } }, 0, limit, false).then((page) => page.rows) }),
      cloudHandlers({ accounts: cloud.accounts, templates, media }),
      reportsHandlers({ db, campaigns, files, settings, now: () => clock.now() }),
      inboxHandlers({ db, inbox: new Inbox(db), bus, sessions, campaigns, engine, settings, clock, conversations }),
      conversationsHandlers({
        repo: conversations, answers, sessions, bus, logger, now: () => clock.now(), receipts: () => settings.get().chatReceipts,
        kindOf: (numberId) => sessions.list().find((n) => n.id === numberId)?.kind,
        labelled: (phone, label) => {
          if (tags.tagPhone(label, phone, 'conversation')) bus.emit('tags.changed', {});
        },
      }),
      healthHandlers({ db, sessions, settings, clock, engine }),
      apiHandlers({ sends: apiSends, keys: apiKeys, webhooks }),
      updatesHandlers(updates),
      backupHandlers({
        db,
        dbFile,
        files,
        now: () => clock.now(),
        importing: () => imports.busy(),
        setWebhookSecret: (id, secret) => webhooks.setSecret(id, secret),
        services: {
          pause: async () => {
            await recurring.stop();
            await engine.stop();
            await sessions.stopAll();
          },
          resume: () => {
            settings.invalidate();
            bus.emit('settings.changed', settings.get());
            engine.start();
            recurring.start();
            sessions.startAll();
            searchIndex.poke(); // the restored contacts, indexed again
          },
        },
      }),
    ), logger, (error) => storage.report(error), new RequestLedger(db, () => clock.now()));
  logger.info({ dataDir: config.dataDir, mode: config.mode, version: config.version }, 'app started');
  engine.start();
  recurring.start();
  feed.start();
  webhooks.start();
  cloud.relay.start();
  sessions.startAll();

  return {
    dispatcher,
    bus,
    settings,
    sessions,
    world,
    contacts,
    searchIndex,
    files,
    media,
    campaigns,
    engine,
    updates,
    setApiUrl: (url) => {
      apiUrl = url;
    },
    setApiNetwork: (status) => {
      apiNetwork = status;
    },
    apiKeys,
    webhooks,
    cloud,
    storage,
    logger,
    db,
    clock,
    random,
    async close() {
      logger.info('app closing');
      searchIndex.stop();
      await contactQueries.close();
      await imports.stop();
      stopCheckpoints();
      storage.stop();
      feed.stop();
      await updates.stop();
      await webhooks.stop();
      await cloud.relay.stop();
      await recurring.stop();
      await engine.stop();
      await sessions.stopAll();
      await demoBrowser?.stop();
      world.close();
      db.close();
      closeLog();
      lock.release();
    },
  };
}
