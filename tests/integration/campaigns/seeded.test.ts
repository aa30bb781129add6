import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import { campaignFixture } from '../../helpers/campaign-fixture';
import type { TestApp } from '../../helpers/contacts-app';

let apps: TestApp[] = [];
afterEach(async () => {
  for (const t of apps) await t.close();
  apps = [];
});

describe('a seeded run', () => {
  it('replays exactly: same number ids, same sends at the same virtual times', async () => {
    const run = async () => {
      const f = await campaignFixture({ contacts: 25, numbers: 2, config: { simBehaviour: { replyRate: 0.2, transientFailureRate: 0.05 } } });
      apps.push(f.t);
      await f.launch();
      await f.clock.advance(3 * 60_000);
      return { ids: f.numbers.map((n) => n.id), record: SimWorld.readRecord(path.join(f.t.dataDir, 'simulator', 'deliveries.jsonl')).map((r) => [r.numberId, r.chatId, r.at, r.text]) };
    };
    const first = await run();
    const second = await run();
    expect(second.ids).toEqual(first.ids);
    expect(second.record.length).toBeGreaterThan(20);
    expect(second.record).toEqual(first.record);
  });
});
