import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../electron/db';
import { SegmentsRepo } from '../electron/segments';
import type { SegmentRules } from '../shared/segments';
import { median, report, timed } from './report';

const COUNT = 1_000_000;
const CITIES = ['Monterrey', 'CDMX', 'Guadalajara', 'Puebla', 'León', 'Querétaro', 'Mérida', 'Tijuana', 'Toluca', 'Saltillo', 'Morelia', 'Cancún'];
const NOW = Date.parse('2026-12-07T12:00:00Z');
const DAY = 86_400_000;

/**
 * Segments on a million contacts (#35 item 2: "evaluated on 1M contacts in under a second"): each kind of rule
 * counted as the editor counts it live, beside the floor of one plain pass over the contacts from the same run.
 * The history is a campaign's: 200,000 sends (60 % read), 20,000 replies, a tag on one contact in ten.
 */
export async function benchSegments(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-segments-'));
  try {
    const db = openDatabase(path.join(dir, 'whatzme.db'));
    const filled = timed(() => fill(db));
    report('segments (1M): contacts and history written', filled, 'ms');
    const repo = new SegmentsRepo(db, () => NOW);
    const floor = median([0, 1, 2].map(() => timed(() => db.prepare("SELECT COUNT(*) FROM contacts WHERE fields != ''").pluck().get())));
    const cases: [string, SegmentRules][] = [
      ['Ciudad = Monterrey', { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'monterrey' }] }],
      ['has a tag', { match: 'all', rules: [{ kind: 'tag', tagId: 1, has: true }] }],
      ['in a list, without a tag', { match: 'all', rules: [{ kind: 'list', listId: 1, member: true }, { kind: 'tag', tagId: 1, has: false }] }],
      ['replied to a campaign', { match: 'all', rules: [{ kind: 'replied', campaignId: 1, withinDays: null }] }],
      ['read and did not reply in 7 days', { match: 'all', rules: [{ kind: 'read_no_reply', campaignId: 1, days: 7 }] }],
      ['never wrote', { match: 'all', rules: [{ kind: 'never_wrote' }] }],
      ['no message in 30 days', { match: 'all', rules: [{ kind: 'not_messaged', days: 30 }] }],
      [
        'Monterrey, a tag, never wrote, never asked',
        { match: 'all', rules: [{ kind: 'field', field: 'Ciudad', op: 'is', value: 'Monterrey' }, { kind: 'tag', tagId: 1, has: true }, { kind: 'never_wrote' }, { kind: 'consent', value: 'unknown' }] },
      ],
      ['any of: replied, a tag, added in 7 days', { match: 'any', rules: [{ kind: 'replied', campaignId: null, withinDays: 30 }, { kind: 'tag', tagId: 1, has: true }, { kind: 'added', withinDays: 7 }] }],
    ];
    for (const [name, rules] of cases) {
      let total = 0;
      const ms = median([0, 1, 2].map(() => timed(() => (total = repo.count(rules).total))));
      report(`segments (1M): ${name} (${total.toLocaleString('en')})`, ms, 'ms', `< 1,000 ms; floor (one pass over the contacts) ${floor.toFixed(0)} ms`);
    }
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fill(db: Db): void {
  const contact = db.prepare("INSERT INTO contacts (id, phone, name, name_key, fields, consent, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, ?)");
  const member = db.prepare('INSERT INTO list_members (list_id, contact_id, added_at) VALUES (1, ?, 0)');
  const tag = db.prepare("INSERT INTO contact_tags (tag_id, contact_id, source, added_at) VALUES (1, ?, 'manual', 0)");
  const send = db.prepare("INSERT INTO sends (campaign_id, contact_id, phone, text, state, sent_at, read_at, updated_at) VALUES (1, ?, ?, 'Hola', ?, ?, ?, ?)");
  const reply = db.prepare("INSERT INTO incoming (number_id, chat_id, phone, contact_id, campaign_id, message_id, body, type, at) VALUES ('n', ?, ?, ?, 1, ?, 'Gracias', 'chat', ?)");
  db.transaction(() => {
    db.prepare("INSERT INTO lists (id, name, created_at) VALUES (1, 'Clientes', 0)").run();
    db.prepare("INSERT INTO tags (id, name, created_at) VALUES (1, 'VIP', 0)").run();
    db.prepare("INSERT INTO campaigns (id, name, state, body, seed, settings, created_at, updated_at) VALUES (1, 'Expo', 'completed', 'Hola', 1, '{}', 0, 0)").run();
    const sentAt = NOW - 10 * DAY;
    for (let i = 1; i <= COUNT; i++) {
      const phone = `+52${String(5500000000 + i)}`;
      contact.run(i, phone, `Cliente ${i}`, JSON.stringify({ Ciudad: CITIES[i % CITIES.length] }), i % 3 === 0 ? null : 'yes', NOW - (i % 400) * DAY, 0);
      if (i % 2 === 0) member.run(i);
      if (i % 10 === 0) tag.run(i);
      if (i % 5 === 0) {
        const read = i % 25 !== 0 && i % 5 === 0 && i % 3 !== 0;
        send.run(i, phone, read ? 'read' : 'delivered', sentAt, read ? sentAt + 3_600_000 : null, sentAt);
        if (i % 50 === 0) reply.run(`${phone}@c.us`, phone, i, `IN_${i}`, sentAt + 7_200_000);
      }
    }
  })();
}
