import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView, Progress } from '../../../shared/campaigns';
import type { NumberView } from '../../../shared/numbers';
import { campaignFixture, MONDAY_9AM } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';
import { ManualClock } from '../../../electron/core/clock';
import { seededRandom } from '../../../electron/core/random';
import { migrate, migrations, registerFunctions } from '../../../electron/db';

/**
 * #29 items 1–3: a backup is data, never code; a failed restore leaves the app as it was; a restore on another
 * computer resends nothing. The crafted backups are made as the probe made them: a genuine one, edited with SQLite.
 */

let apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
const track = (app: TestApp) => (apps.push(app), app);

async function downloadBackup(app: TestApp): Promise<string> {
  const { url } = await app.call<{ url: string }>('backup.create');
  const reply = await fetch(`http://127.0.0.1:${app.server.port}${url}`, { headers: { Authorization: `Bearer ${app.server.token}` } });
  const file = path.join(tempDir(), 'respaldo.db');
  fs.writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
  return file;
}

/** Edits a copy of a backup with SQLite, as anyone handing the user a "backup" could. */
function crafted(file: string, sql: string): string {
  const copy = path.join(tempDir(), 'alterado.db');
  fs.copyFileSync(file, copy);
  const db = new Database(copy);
  db.exec(sql);
  db.close();
  return copy;
}

const schemaObjects = (app: TestApp) =>
  app.app.db.prepare("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') OR (type = 'table' AND name LIKE 'intruso%') OR name LIKE 'intruso%'").all();

/** The triggers the app's own migrations make (a fresh database's). */
function appTriggers(): unknown[] {
  const db = new Database(':memory:');
  registerFunctions(db);
  migrate(db, migrations);
  const triggers = db.prepare("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')").all();
  db.close();
  return triggers;
}

describe('a backup is data, never code', () => {
  it('triggers, views, unknown tables and local settings in a backup never become the app\'s', async () => {
    const f = await campaignFixture({ contacts: 30, numbers: 1 });
    const t = track(f.t);
    const key = await t.call<{ key: { id: number } }>('apiKeys.create', { name: 'Tienda', scope: 'all' });
    const genuine = await downloadBackup(t);
    const evil = crafted(
      genuine,
      `CREATE TRIGGER intruso_keys AFTER UPDATE OF revoked_at ON api_keys BEGIN
         INSERT INTO api_keys (name, scope, prefix, hash, created_at) VALUES ('x', 'all', 'wzm_x', 'h' || random(), 0);
       END;
       CREATE TRIGGER intruso_sends AFTER INSERT ON sends WHEN NEW.contact_id > 0 BEGIN
         INSERT INTO sends (campaign_id, contact_id, phone, text, state, updated_at) VALUES (NEW.campaign_id, -NEW.contact_id, NEW.phone, NEW.text, 'queued', 0);
       END;
       CREATE VIEW intruso_view AS SELECT * FROM contacts;
       CREATE TABLE intruso_table (x);
       CREATE INDEX intruso_index ON contacts (name);
       INSERT OR REPLACE INTO settings (key, value) VALUES ('browserPath', '"/usr/bin/touch"'), ('apiNetwork', '{"address":"0.0.0.0","port":47999}'), ('language', '"en"'), ('optOutWords', '"no es una lista"');`,
    );
    const inspected = await t.call<{ apiKeys: { id: number; name: string }[] }>('backup.inspect', { uploadId: await t.upload(evil) });
    expect(inspected.apiKeys.map((k) => k.name)).toEqual(['Tienda']);
    await settle(f.clock, t.call('backup.restore', { uploadId: await t.upload(evil), confirm: true }));

    // Only the app's own triggers (the conversations list, #33), as a fresh database has them.
    expect(schemaObjects(t)).toEqual(appTriggers());
    expect(t.app.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'intruso_index'").get()).toBeUndefined();
    const settings = await t.call<{ browserPath: string | null; apiNetwork: unknown; language: string; optOutWords: string[] }>('settings.get');
    expect(settings.browserPath).toBeNull();
    expect(settings.apiNetwork).toBeNull();
    expect(settings.language).toBe('en'); // a valid setting comes back
    expect(settings.optOutWords).toContain('CANCELAR'); // an invalid one does not
    // The live key stays; revoking it plants nothing.
    await t.call('apiKeys.revoke', { id: key.key.id });
    expect(t.app.db.prepare('SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL').pluck().get()).toBe(0);
    // A campaign launched after it sends each contact once.
    const campaign = await f.launch({ name: 'Después' });
    expect(t.app.db.prepare('SELECT COUNT(*) FROM sends WHERE campaign_id = ?').pluck().get(campaign.id)).toBe(30);
  });

  it('the backup\'s API keys and webhooks come back only as the user picks them', async () => {
    const t = track(await startTestApp());
    await t.call('apiKeys.create', { name: 'Vieja', scope: 'send' });
    await t.call('apiKeys.create', { name: 'Otra', scope: 'all' });
    await t.call('webhooks.create', { url: 'https://hooks.example.com/whatzme', events: ['message.status'] });
    // A webhook written into the file by hand, to an address the app never posts to.
    const backup = crafted(await downloadBackup(t), "INSERT INTO webhooks (url, secret, events, created_at) VALUES ('https://169.254.169.254/latest', 's', '[\"message.status\"]', 0);");
    t.app.db.prepare('DELETE FROM webhooks').run();
    for (const k of await t.call<{ id: number }[]>('apiKeys.list')) await t.call('apiKeys.revoke', { id: k.id });
    t.app.db.prepare('DELETE FROM api_keys').run();
    const inspected = await t.call<{ apiKeys: { id: number; name: string }[] }>('backup.inspect', { uploadId: await t.upload(backup) });
    const vieja = inspected.apiKeys.find((k) => k.name === 'Vieja')?.id as number;
    const hooks = (await t.call<{ webhooks: { id: number }[] }>('backup.inspect', { uploadId: await t.upload(backup) })).webhooks.map((w) => w.id);
    expect(hooks).toHaveLength(2);
    await t.call('backup.restore', { uploadId: await t.upload(backup), confirm: true, apiKeyIds: [vieja], webhookIds: hooks });
    expect((await t.call<{ name: string }[]>('apiKeys.list')).map((k) => k.name)).toEqual(['Vieja']);
    expect((await t.call<{ url: string }[]>('webhooks.list')).map((w) => w.url)).toEqual(['https://hooks.example.com/whatzme']);
  });

  it('a backup never carries a webhook\'s signing secret; one brought back gets a new secret, shown once', async () => {
    const t = track(await startTestApp());
    const made = await t.call<{ secret: string }>('webhooks.create', { url: 'https://hooks.example.com/whatzme', events: ['message.status'] });
    const backup = await downloadBackup(t);
    const file = new Database(backup, { readonly: true });
    expect(file.prepare('SELECT secret FROM webhooks').pluck().all()).toEqual(['']);
    file.close();
    expect(fs.readFileSync(backup).includes(Buffer.from(made.secret))).toBe(false);
    t.app.db.prepare('DELETE FROM webhooks').run();
    const hooks = (await t.call<{ webhooks: { id: number }[] }>('backup.inspect', { uploadId: await t.upload(backup) })).webhooks.map((w) => w.id);
    const restored = await t.call<{ newWebhookSecrets: { url: string; secret: string }[] }>('backup.restore', { uploadId: await t.upload(backup), confirm: true, webhookIds: hooks });
    expect(restored.newWebhookSecrets).toEqual([{ url: 'https://hooks.example.com/whatzme', secret: expect.stringMatching(/^whsec_/) }]);
    expect(restored.newWebhookSecrets[0]?.secret).not.toBe(made.secret);
  });

  it('refuses a backup whose rows the app would not have written (a media id that is a path), changing nothing', async () => {
    const t = track(await startTestApp());
    await t.call('lists.create', { name: 'Intacta' });
    const backup = await downloadBackup(t);
    const evil = crafted(backup, "INSERT INTO media (id, kind, mime, ext, file_name, size, created_at) VALUES ('../../../../etc/passwd', 'document', 'text/plain', 'txt', 'x.txt', 1, 0);");
    await expect(t.call('backup.inspect', { uploadId: await t.upload(evil) })).rejects.toMatchObject({ code: 'backup_invalid' });
    await expect(t.call('backup.restore', { uploadId: await t.upload(evil), confirm: true })).rejects.toMatchObject({ code: 'backup_invalid' });
    expect((await t.call<{ name: string }[]>('lists.list')).map((l) => l.name)).toEqual(['Intacta']);
  });
});

describe('a failed restore leaves the app as it was', () => {
  it('a backup without sends and api_messages is refused; the running campaign and its outbox stay, and the app starts again', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1 });
    const t = f.t;
    const campaign = await f.launch();
    for (let i = 0; i < 50; i++) await f.clock.advance(200);
    const backup = crafted(await downloadBackup(t), 'DROP TABLE api_messages; DROP TABLE sends;');
    await expect(t.call('backup.inspect', { uploadId: await t.upload(backup) })).rejects.toMatchObject({ code: 'backup_invalid' });
    await expect(t.call('backup.restore', { uploadId: await t.upload(backup), confirm: true })).rejects.toMatchObject({ code: 'backup_invalid' });
    expect((await t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('running');
    expect(t.app.db.prepare('SELECT COUNT(*) FROM sends WHERE campaign_id = ?').pluck().get(campaign.id)).toBe(40);
    await t.close();
    const again = track(await startTestApp({ clock: f.clock }, t.dataDir));
    expect((await again.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('running');
  });

  it('a value the app\'s schema refuses, found while the restore is built, changes nothing', async () => {
    const f = await campaignFixture({ contacts: 20, numbers: 1 });
    const t = track(f.t);
    const campaign = await f.launch();
    const genuine = await downloadBackup(t);
    // The backup's own table without the CHECK, holding a state the app never writes.
    const evil = crafted(
      genuine,
      `CREATE TABLE lists_x AS SELECT * FROM lists; DROP TABLE lists; CREATE TABLE lists (id INTEGER PRIMARY KEY, name TEXT, created_at INTEGER);
       INSERT INTO lists SELECT * FROM lists_x; DROP TABLE lists_x; INSERT INTO lists (id, name, created_at) VALUES (999, NULL, 0);`,
    );
    const before = t.app.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get();
    await expect(settle(f.clock, t.call('backup.restore', { uploadId: await t.upload(evil), confirm: true }))).rejects.toMatchObject({ code: 'backup_invalid' });
    expect(t.app.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(before);
    expect((await t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('running');
    expect(fs.existsSync(path.join(t.dataDir, 'whatzme.db.restore'))).toBe(false);
  });
});

describe('a restore on another computer resends nothing', () => {
  it('a campaign backed up at 20 deliveries comes back paused, sends nothing until confirmed, then each contact gets one message', async () => {
    const f = await campaignFixture({ contacts: 200, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    const a = track(f.t);
    const campaign = await f.launch();
    const record = path.join(a.dataDir, 'simulator', 'deliveries.jsonl');
    const sends = () => SimWorld.readRecord(record).filter((r) => !r.text.startsWith('Listo'));
    for (let i = 0; i < 3000 && sends().length < 20; i++) await f.clock.advance(100);
    const backup = await downloadBackup(a);
    // The first computer goes on sending after the backup, then is gone.
    for (let i = 0; i < 3000 && sends().length < 60; i++) await f.clock.advance(100);
    const sentByA = sends().length;
    await a.close();
    apps = [];

    // The new computer: the same WhatsApp account (the simulator's world: the same delivery record).
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'simulator'), { recursive: true });
    fs.copyFileSync(record, path.join(dataDir, 'simulator', 'deliveries.jsonl'));
    const clock = new ManualClock(f.clock.now() + 3600_000);
    const b = track(await startTestApp({ clock, simSeed: 11, random: seededRandom(12), simBehaviour: { notOnWhatsAppPercent: 0, transientFailureRate: 0, replyRate: 0 } }, dataDir));
    const restored = await settle(clock, b.call<{ held: { id: number; pending: number }[] }>('backup.restore', { uploadId: await b.upload(backup), confirm: true }));
    expect(restored.held.map((h) => h.id)).toEqual([campaign.id]);
    const held = await b.call<Progress>('campaigns.progress', { id: campaign.id });
    expect(held).toMatchObject({ state: 'paused', pauseReason: 'restored', needsConfirmation: true });

    // Its number links on this computer: nothing goes out.
    const number = (await b.call<NumberView[]>('numbers.list'))[0] as NumberView;
    await b.call('numbers.reconnect', { id: number.id });
    await clock.advance(1000);
    await b.call('numbers.simulateScan', { id: number.id });
    for (let i = 0; i < 300; i++) await clock.advance(1000);
    expect(sends()).toHaveLength(sentByA);
    const recordB = () => SimWorld.readRecord(path.join(dataDir, 'simulator', 'deliveries.jsonl')).filter((r) => !r.text.startsWith('Listo'));
    expect(recordB()).toHaveLength(sentByA);

    // Confirmed: what went out after the backup is found in WhatsApp and not sent again.
    await expect(b.call('campaigns.resume', { id: campaign.id })).rejects.toMatchObject({ code: 'needs_confirmation' });
    await b.call('campaigns.resume', { id: campaign.id, confirm: true });
    for (let i = 0; i < 2000 && (await b.call<CampaignView>('campaigns.get', { id: campaign.id })).state !== 'completed'; i++) await clock.advance(5000);
    expect((await b.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('completed');
    const perChat = new Map<string, number>();
    for (const r of recordB()) perChat.set(r.chatId, (perChat.get(r.chatId) ?? 0) + 1);
    expect([...perChat.values()].filter((n) => n > 1)).toEqual([]);
    expect(perChat.size).toBe(200);
    expect(MONDAY_9AM).toBeLessThan(clock.now());
  }, 120_000);
});
