import type { AutoReplies } from '../../shared/auto-replies';
import { localTime } from '../../shared/time-zone';
import { normalizeReply } from '../campaigns/opt-out';
import type { StoredReply } from '../campaigns/replies';
import type { Db } from '../db';
import type { Logger } from '../core/logger';
import type { ChatAnswers } from './answers';


/** Replies older than this (read by a catch-up after the app was closed) get no auto-reply: it would come hours late. */
export const AUTO_REPLY_FRESH_MS = 10 * 60_000;
/** A message right after our auto-reply may be the other side's own auto-reply: never answered (no ping-pong). */
export const AUTO_LOOP_GUARD_MS = 2 * 60_000;
/** Every auto-reply says how to reach a person; this word in a reply never triggers a keyword answer. */
export const PERSON_WORD = 'persona';
export const PERSON_LINE = 'Para hablar con una persona, responde «persona».';

type Choice = { rule: string; text: string };

/** The user's business hours hold `at` (their days, from–to in the app's zone; "to" before "from" runs past midnight). */
export function withinHours(at: number, away: AutoReplies['away'], timeZone: string): boolean {
  const local = localTime(at, timeZone);
  const minute = local.hour * 60 + local.minute;
  const [fh, fm] = away.from.split(':').map(Number) as [number, number];
  const [th, tm] = away.to.split(':').map(Number) as [number, number];
  const from = fh * 60 + fm;
  const to = th * 60 + tm;
  if (from <= to) return away.days.includes(local.weekday) && minute >= from && minute < to;
  // Overnight hours (e.g. 18:00–02:00): the part after midnight belongs to the day before.
  const yesterday = (local.weekday + 6) % 7;
  return (away.days.includes(local.weekday) && minute >= from) || (away.days.includes(yesterday) && minute < to);
}

/** Whether a reply holds one of the words or phrases, whole, without accents or case ("¿Cuál es el PRECIO?" has "precio"). */
export function mentions(body: string, words: readonly string[]): boolean {
  const text = ` ${normalizeReply(body)} `;
  return words.some((word) => {
    const folded = normalizeReply(word);
    return folded !== '' && text.includes(` ${folded} `);
  });
}

/**
 * Which auto-reply a message gets, if any: a keyword answer (the question asked), else the away message outside
 * business hours, else the greeting for someone's first message to the number. Pure: the caller checks the period.
 */
export function chooseAutoReply(config: AutoReplies, reply: { body: string; type: string; at: number; first: boolean }, timeZone: string): Choice[] {
  if (!config.enabled) return [];
  const choices: Choice[] = [];
  if (reply.type === 'chat' && !mentions(reply.body, [PERSON_WORD])) {
    config.keywords.forEach((k, index) => {
      if (mentions(reply.body, k.words)) choices.push({ rule: `keyword:${index}:${normalizeReply(k.words[0] ?? '')}`, text: k.text });
    });
  }
  if (config.away.enabled && !withinHours(reply.at, config.away, timeZone)) choices.push({ rule: 'away', text: config.away.text });
  if (config.greeting.enabled && reply.first) choices.push({ rule: 'greeting', text: config.greeting.text });
  return choices;
}

/** The text as sent: the way to reach a person is always said, once. */
export function withPersonLine(text: string): string {
  return normalizeReply(text).includes(PERSON_WORD) ? text : `${text.trim()}\n\n${PERSON_LINE}`;
}

/**
 * Auto-replies (#33), off by default. Each rule answers a contact at most once per period; never an opt-out (the
 * opt-out confirmation is the one that goes), a doubtful reply, an opted-out contact, a group (the driver gives none),
 * a message read late by a catch-up, or what may be the other side's own auto-reply. One auto-reply per message:
 * the first rule whose period allows it.
 */
export class AutoReplier {
  constructor(
    private readonly deps: {
      db: Db;
      answers: ChatAnswers;
      settings: () => { autoReplies: AutoReplies; timeZone: string };
      now: () => number;
      logger: Logger;
    },
  ) {}

  onReply(reply: StoredReply): void {
    const { db, now } = this.deps;
    const { autoReplies, timeZone } = this.deps.settings();
    if (!autoReplies.enabled || !reply.phone || reply.optOut || reply.doubtful) return;
    if (reply.at < now() - AUTO_REPLY_FRESH_MS) return;
    const phone = reply.phone;
    if (db.prepare('SELECT 1 FROM opt_outs WHERE phone = ?').get(phone) !== undefined) return;
    const lastAuto = db.prepare('SELECT MAX(created_at) FROM chat_answers WHERE phone = ? AND auto_rule IS NOT NULL').pluck().get(phone) as number | null;
    if (lastAuto !== null && reply.at - lastAuto < AUTO_LOOP_GUARD_MS && reply.at >= lastAuto) return;
    const first = (db.prepare('SELECT COUNT(*) FROM incoming WHERE phone = ? AND number_id = ?').pluck().get(phone, reply.numberId) as number) <= 1;
    const since = now() - autoReplies.periodHours * 3600_000;
    const sentRecently = db.prepare('SELECT 1 FROM chat_answers WHERE auto_rule = ? AND phone = ? AND created_at > ?');
    const choice = chooseAutoReply(autoReplies, { body: reply.body, type: reply.type, at: reply.at, first }, timeZone).find((c) => sentRecently.get(c.rule, phone, since) === undefined);
    if (!choice) return;
    try {
      // The reply's own id makes the answer's: a reply seen twice (live, then by a catch-up) is answered once.
      this.deps.answers.send({ phone, clientId: `auto-${reply.id}`, text: withPersonLine(choice.text), numberId: reply.numberId, autoRule: choice.rule });
    } catch (error) {
      this.deps.logger.warn({ err: error, rule: choice.rule }, 'auto-reply not sent');
    }
  }
}
