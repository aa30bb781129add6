import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKey, Webhook } from '../../../shared/api';
import type { CampaignView } from '../../../shared/campaigns';
import type { Segment, SegmentCount, Tag } from '../../../shared/segments';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { request } from '../../helpers/http';
import { webhookReceiver, type Received } from '../../helpers/webhook-receiver';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await t?.close();
  t = undefined;
});

/** The user's CRM calling the app over HTTP with its key. */
async function withKey<T>(app: TestApp, secret: string, name: string, input: unknown = {}): Promise<{ status: number; value?: T; error?: { code: string } }> {
  const reply = await request(app.server.port, { method: 'POST', path: `/api/${name}`, headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
  const body = reply.json() as { ok: boolean; value?: T; error?: { code: string } };
  return { status: reply.status, ...(body.ok ? { value: body.value as T } : { error: body.error }) };
}

/** Moves the manual clock a second at a time, letting real I/O (webhook POSTs) run between steps, until `found`. */
async function until<T>(clock: { advance(ms: number): Promise<void> }, found: () => T | undefined, steps = 600): Promise<T> {
  for (let i = 0; i < steps; i++) {
    const value = found();
    if (value !== undefined) return value;
    await clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('not found in time');
}

describe('tags, segments and follow-ups through the automation API, with their webhooks', () => {
  it('a CRM tags contacts, saves and counts a segment, sends to it with a follow-up, and hears each step signed', async () => {
    const f = await campaignFixture({ contacts: 12, numbers: 1, config: { simBehaviour: { readRate: 1, replyRate: 0 } } });
    t = f.t;
    const receiver = await webhookReceiver();
    closers.push(receiver.close);
    const made = await t.call<{ webhook: Webhook; secret: string }>('webhooks.create', { url: receiver.url, events: ['contact.tagged', 'campaign.started', 'campaign.finished'] });
    receiver.setSecret(made.secret);
    const { secret } = await t.call<{ key: ApiKey; secret: string }>('apiKeys.create', { name: 'CRM', scope: 'all' });
    const send = await t.call<{ key: ApiKey; secret: string }>('apiKeys.create', { name: 'Tienda', scope: 'send' });

    // A key that only sends cannot touch tags.
    expect((await withKey(t, send.secret, 'tags.create', { name: 'VIP' })).error).toMatchObject({ code: 'forbidden' });
    const vip = (await withKey<Tag>(t, secret, 'tags.create', { name: 'VIP' })).value as Tag;
    const ids = (await t.call<{ rows: { id: number; phone: string }[] }>('contacts.query', { offset: 0, limit: 4 })).rows;
    expect((await withKey(t, secret, 'tags.addContacts', { tagId: vip.id, contactIds: ids.map((r) => r.id), source: 'import' })).value).toEqual({ changed: 4 });
    const tagged = await until(f.clock, () => {
      const got = receiver.received.filter((r) => r.event.type === 'contact.tagged');
      return got.length === 4 ? got : undefined;
    });
    expect(tagged.every((r) => r.verified)).toBe(true);
    expect(tagged.map((r) => r.event.data.phone).sort()).toEqual(ids.map((r) => r.phone).sort());
    expect(tagged[0]!.event.data).toMatchObject({ tagId: vip.id, tag: 'VIP', source: 'import' });

    const rules = { match: 'all', rules: [{ kind: 'tag', tagId: vip.id, has: true }] };
    expect((await withKey<SegmentCount>(t, secret, 'segments.count', rules)).value).toMatchObject({ total: 4, optedOut: 0 });
    const segment = (await withKey<Segment>(t, secret, 'segments.save', { name: 'VIP', ...rules })).value as Segment;
    const input = f.input({ name: 'VIP primero', includeListIds: [], segmentIds: [segment.id] });
    const settings = { ...input.settings, followUp: { afterDays: 1, who: 'read_or_replied', body: '¿Te gustó, {{nombre}}? Responde CANCELAR si no deseas más mensajes', mediaId: null } };
    const created = (await withKey<CampaignView>(t, secret, 'campaigns.create', { ...input, settings })).value as CampaignView;
    await withKey(t, secret, 'campaigns.launch', { id: created.id });

    const started = (data: (r: Received) => boolean) => until(f.clock, () => receiver.received.find((r) => r.event.type === 'campaign.started' && data(r)));
    expect((await started((r) => r.event.data.campaignId === created.id)).event.data).toMatchObject({ name: 'VIP primero', kind: 'campaign', parentId: null });
    // A day later, its follow-up.
    await f.clock.advance(86_400_000);
    const followUp = await started((r) => r.event.data.kind === 'follow_up');
    expect(followUp.event.data).toMatchObject({ parentId: created.id, name: 'VIP primero · seguimiento' });
    const finished = await until(f.clock, () => receiver.received.find((r) => r.event.type === 'campaign.finished' && r.event.data.campaignId === followUp.event.data.campaignId), 3600);
    // Everyone read the first message: the four of the segment get the follow-up.
    expect(finished.event.data).toMatchObject({ parentId: created.id, recurringId: null, abChoice: null });
    const counts = finished.event.data.counts as Record<string, number>;
    expect((counts.read ?? 0) + (counts.delivered ?? 0) + (counts.sent ?? 0)).toBe(4);
    // The opt-out, read and reply tags the app sets itself are told too (here: "Leyó · VIP primero").
    expect(receiver.received.some((r) => r.event.type === 'contact.tagged' && r.event.data.source === 'event' && r.event.data.tag === 'Leyó · VIP primero')).toBe(true);
  });
});
