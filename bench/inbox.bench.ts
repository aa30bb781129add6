import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../electron/db';
import { ConversationsRepo } from '../electron/conversations';
import { MediaStore } from '../electron/messages';
import { ConversationFilterSchema } from '../shared/conversations';
import { report } from './report';

const CONVERSATIONS = 10_000;
const REPLIES_EACH = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeIt(runs: number, fn: () => void): number {
  fn(); // warm: statements prepared, pages cached
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * The inbox with 10,000 conversations (#33): opening it (the first 50, the labels, the waiting count) and each filter,
 * medians of 5, beside the floor of the same run — one indexed read of the first 50 rows, nothing joined.
 */
export async function benchInbox(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-inbox-'));
  try {
    const db = openDatabase(path.join(dir, 'bench.db'));
    const now = Date.parse('2026-12-07T12:00:00Z');
    db.prepare("INSERT INTO numbers (id, label, kind, state, created_at, updated_at) VALUES ('n_bench01', 'Tienda', 'demo', 'connected', ?, ?)").run(now, now);
    const contact = db.prepare("INSERT INTO contacts (phone, name, name_key, fields, created_at, updated_at) VALUES (?, ?, ?, '{}', ?, ?)");
    const reply = db.prepare('INSERT INTO incoming (number_id, chat_id, phone, contact_id, campaign_id, message_id, body, type, opt_out, doubt, handled, at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)');
    const optOut = db.prepare("INSERT INTO opt_outs (phone, source, created_at) VALUES (?, 'reply', ?)");
    const label = db.prepare('UPDATE conversations SET label = ?, mine = ? WHERE phone = ?');
    db.transaction(() => {
      for (let i = 0; i < CONVERSATIONS; i++) {
        const phone = `+5255${String(10_000_000 + i)}`;
        const id = Number(contact.run(phone, `Cliente ${i}`, `cliente ${i}`, now, now).lastInsertRowid);
        for (let k = 0; k < REPLIES_EACH; k++) {
          const doubt = i % 50 === 0 && k === 2 ? 'no' : null;
          reply.run('n_bench01', `${phone.slice(1)}@c.us`, phone, id, `IN_${i}_${k}`, k === 2 && i % 40 === 0 ? 'BAJA' : '¿Cuál es el precio?', 'chat', k === 2 && i % 40 === 0 ? 1 : 0, doubt, i % 3 === 0 ? 0 : 1, now - (CONVERSATIONS - i) * 60_000 + k * 1000);
        }
        if (i % 40 === 0) optOut.run(phone, now);
        if (i % 7 === 0) label.run(i % 14 === 0 ? 'pedido' : 'cotización', i % 5 === 0 ? 1 : 0, phone);
      }
    })();
    const repo = new ConversationsRepo(db, new MediaStore(db, path.join(dir, 'media'), () => now));
    const list = (filter: Record<string, unknown>) => repo.list(ConversationFilterSchema.parse(filter));
    const floor = timeIt(5, () => db.prepare('SELECT * FROM conversations ORDER BY last_at DESC LIMIT 50').all());
    report('inbox: floor — first 50 conversations, plain SQL', floor, 'ms');
    const open = timeIt(5, () => {
      list({});
      repo.labels();
      repo.stats(now);
    });
    report(`inbox: open with ${CONVERSATIONS.toLocaleString('en')} conversations`, open, 'ms', '< 200 ms');
    for (const show of ['waiting', 'mine', 'opt_out', 'doubtful'] as const) report(`inbox: filter ${show}`, timeIt(5, () => list({ show })), 'ms', '< 200 ms');
    report('inbox: filter label', timeIt(5, () => list({ label: 'pedido' })), 'ms', '< 200 ms');
    report('inbox: filter number', timeIt(5, () => list({ numberId: 'n_bench01' })), 'ms', '< 200 ms');
    report('inbox: one chat (3 replies)', timeIt(5, () => repo.chat('+525510005000', null, 'n_bench01')), 'ms', '< 200 ms');
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
