import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignView } from '../../../shared/campaigns';
import type { MediaView } from '../../../shared/messages';
import { TESTDATA } from '../../helpers/paths';
import { contactsFrom, doubleRig, e164Of, until, type DoubleRig } from '../../helpers/wweb-double';
import { VARIANTS, type DoubleVariant } from '../../../electron/whatsapp/wweb-double/variants';

/**
 * #31: the real stack — WwebDriver → whatsapp-web.js 1.34.7 → puppeteer-core → Debian's Chromium → the WhatsApp
 * Web double — sends a mixed campaign of 200 contacts on every WhatsApp Web build the shim mends, and each contact
 * gets exactly one message, counted from the double's delivery record (what each phone received).
 */
let rig: DoubleRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
}, 60_000);

const KINDS = [
  { name: 'Texto', media: null, got: ['chat'] },
  { name: 'Imagen', media: 'promo.jpg', got: ['image'] },
  { name: 'Documento', media: 'catalogo.pdf', got: ['document'] },
  // A voice note cannot carry a caption: the note, then its text.
  { name: 'Nota de voz', media: 'nota_de_voz.ogg', got: ['ptt', 'chat'] },
] as const;

async function launchMixed(r: DoubleRig, numberId: string, perKind: number): Promise<CampaignView[]> {
  const campaigns: CampaignView[] = [];
  for (const [k, kind] of KINDS.entries()) {
    const done = await r.t.importFile(contactsFrom(r.dir, k * perKind, perKind), { list: { name: kind.name }, consent: { source: 'customers', agreed: true } });
    const media = kind.media ? await r.t.call<MediaView>('media.add', { uploadId: await r.t.upload(path.join(TESTDATA, 'media', kind.media)) }) : null;
    const created = await r.t.call<CampaignView>('campaigns.create', {
      name: kind.name,
      templateId: null,
      body: `Hola {{nombre}}, te saluda Luis de Panadería La Espiga (${kind.name}). Si no deseas más mensajes, responde BAJA`,
      mediaId: media?.id ?? null,
      includeListIds: [done.summary?.listId],
      excludeListIds: [],
      numberIds: [numberId],
      settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
    });
    await r.t.call('campaigns.launch', { id: created.id });
    campaigns.push(created);
  }
  return campaigns;
}

const campaignsOf = async (r: DoubleRig, ids: number[]) => (await r.t.call<CampaignView[]>('campaigns.list')).filter((c) => ids.includes(c.id));

const cases: { variant: DoubleVariant; perKind: number }[] = [
  { variant: VARIANTS.current, perKind: 50 },
  { variant: VARIANTS.keyRename, perKind: 50 },
  { variant: VARIANTS.noAvParams, perKind: 50 },
  // Media modules out of the registry until their bundle is fetched (wa-js 3582): the first image asks for it.
  { variant: VARIANTS.lazyModules, perKind: 50 },
];

describe.each(cases.map((c) => ({ ...c, name: c.variant.name, total: c.perKind * KINDS.length })))('the real driver on WhatsApp Web build "$name"', ({ variant, perKind, total }) => {
  it(`links by QR and sends a mixed campaign of ${total} (text, image, document, voice note) once each, LID contacts at their LID; receipts land`, async () => {
    rig = await doubleRig(variant, { deliveredAfterMs: [500, 3000], readAfterMs: [1000, 20_000], readRate: 1 });
    const r = rig;
    // The phone's WhatsApp id of a Mexican mobile keeps the old "1" (521…); the app shows the number as dialled.
    const number = await r.link('+5215512340000');
    expect(number.phone).toBe('+525512340000');
    const ids = (await launchMixed(r, number.id, perKind)).map((c) => c.id);
    const done = await until(async () => {
      const mine = await campaignsOf(r, ids);
      return mine.every((c) => c.state === 'completed') && mine;
    }, 200_000);
    for (const c of done) expect({ name: c.name, counts: c.counts }).toMatchObject({ counts: { failed: 0, skipped: 0, in_doubt: 0, queued: 0, sending: 0 } });

    // Each contact got exactly one campaign message of its kind, counted from what the phones received.
    const contacts = [...Array(total).keys()].map(e164Of);
    const phoneOfChat = new Map(contacts.map((p) => [r.double.lidOf(p) ?? '', p]));
    const byContact = new Map<string, string[]>();
    for (const d of r.delivered()) {
      const phone = d.chatId.endsWith('@lid') ? phoneOfChat.get(d.chatId) : `+52${d.chatId.slice(3, 13)}`;
      expect(phone, `a delivery to ${d.chatId}, whom nobody sent to`).toBeDefined();
      byContact.set(phone!, [...(byContact.get(phone!) ?? []), d.media?.kind ?? 'chat']);
    }
    expect(byContact.size).toBe(total);
    contacts.forEach((p, i) => expect({ contact: p, got: byContact.get(p) }).toEqual({ contact: p, got: KINDS[Math.floor(i / perKind)]!.got }));
    // Contacts WhatsApp moved to a LID got theirs at the LID (none written off as "not on WhatsApp").
    const moved = contacts.filter((p) => r.double.movedToLid(p));
    if (total >= 100) expect(moved.length).toBeGreaterThan(5);
    for (const p of moved) expect(byContact.get(p), p).toBeDefined();
    for (const p of moved) expect(r.delivered().some((d) => d.chatId === r.double.lidOf(p))).toBe(true);
    expect(r.t.app.db.prepare("SELECT COUNT(*) FROM contacts WHERE wa_status = 'not_on_whatsapp'").pluck().get()).toBe(0);

    // Receipts land for every kind: each campaign's messages are read as the phones open them.
    await until(async () => (await campaignsOf(r, ids)).every((c) => c.counts.read === c.total && c.total > 0) || null, 60_000);
  }, 240_000);
});
