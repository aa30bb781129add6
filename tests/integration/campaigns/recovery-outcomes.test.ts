import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../../../electron/campaigns/engine';
import { SimWorld, type SendFault, type SimulatedDriver } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import { campaignFixture } from '../../helpers/campaign-fixture';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Row = { id: number; phone: string; state: string; reason: string | null; message_id: string | null; attempts: number };

/**
 * One contact, one number, and the given faults queued for its sends: the engine's answer to each recovery
 * outcome, read per row against the simulator's delivery record.
 */
async function oneSend(faults: SendFault[], opts: { uncertain?: boolean } = {}) {
  const f = await campaignFixture({ contacts: 1, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
  t = f.t;
  const driver = f.t.app.sessions.driver(f.numbers[0]!.id) as SimulatedDriver;
  const scripted = driver.script([...faults.map((fault) => ({ afterMs: 0, do: 'fault' as const, fault })), ...(opts.uncertain ? [{ afterMs: 0, do: 'uncertain' as const, value: true }] : [])]);
  await f.clock.advance(1); // the steps run on the manual clock
  await scripted;
  const campaign = await f.launch();
  for (let i = 0; i < 40 && (await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state === 'running'; i++) await f.clock.advance(60_000);
  const row = f.t.app.db.prepare('SELECT id, phone, state, reason, message_id, attempts FROM sends').get() as Row;
  const record = SimWorld.readRecord(path.join(f.t.dataDir, 'simulator', 'deliveries.jsonl'));
  const view = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
  return { row, record, view };
}

describe('what recovery makes of each way a send can end', () => {
  it('an error although the message went out → found by findSent → sent with the delivered id, never resent', async () => {
    const { row, record, view } = await oneSend(['maybe_sent_delivered']);
    expect(record).toHaveLength(1);
    expect(row).toMatchObject({ state: expect.stringMatching(/^(sent|delivered|read)$/), message_id: record[0]!.messageId, attempts: 1 });
    expect(view.state).toBe('completed');
  });

  it('an error and it did not go out → not found → retried after a backoff, and sent exactly once', async () => {
    const { row, record } = await oneSend(['maybe_sent_lost']);
    expect(record).toHaveLength(1);
    expect(row).toMatchObject({ message_id: record[0]!.messageId, attempts: 2 });
    expect(['sent', 'delivered', 'read']).toContain(row.state);
  });

  it(`clear failures ${MAX_ATTEMPTS} times → failed with the reason, nothing delivered`, async () => {
    const { row, record, view } = await oneSend(Array<SendFault>(MAX_ATTEMPTS).fill('not_sent'));
    expect(record).toHaveLength(0);
    expect(row).toMatchObject({ state: 'failed', reason: 'send_failed', attempts: MAX_ATTEMPTS, message_id: null });
    expect(view.state).toBe('completed');
  });

  it(`an error that cannot be told apart, ${MAX_ATTEMPTS} times → failed after the last attempt, never more sends than attempts`, async () => {
    const { row, record } = await oneSend(Array<SendFault>(MAX_ATTEMPTS).fill('maybe_sent_lost'));
    expect(record).toHaveLength(0);
    expect(row).toMatchObject({ state: 'failed', reason: 'send_failed', attempts: MAX_ATTEMPTS });
  });

  it('an error and WhatsApp cannot say whether it went out → in doubt, never resent by itself', async () => {
    const { row, record, view } = await oneSend(['maybe_sent_delivered'], { uncertain: true });
    expect(record).toHaveLength(1);
    expect(row).toMatchObject({ state: 'in_doubt', reason: 'unknown', message_id: null });
    expect(view.counts.in_doubt).toBe(1);
  });

  it('accepted and then refused by WhatsApp (ack ERROR) → failed as whatsapp_error, delivered to nobody', async () => {
    const { row, record } = await oneSend(['ack_error']);
    expect(record).toHaveLength(0);
    expect(row).toMatchObject({ state: 'failed', reason: 'whatsapp_error', attempts: 1 });
    expect(row.message_id).toMatch(/^SIMX/);
  });
});
