import type { Answer } from '../../shared/conversations';
import type { CampaignSettings } from '../../shared/campaigns';
import { fillParams, type WaTemplate } from '../../shared/cloud';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import { unlistedContactId } from '../contacts/unlisted-contact';
import { contactRandom, parseTemplate, renderNodes, type MediaStore } from '../messages';

/** A Cloud API number may write free text only within 24 hours of the person's last message (Meta's service window). */
export const CLOUD_WINDOW_MS = 24 * 3600 * 1000;

export type AnswerDeps = {
  db: Db;
  media: MediaStore;
  now: () => number;
  seed: () => number;
  timeZone: () => string;
  /** The user's numbers as the sessions know them (removed ones are absent). */
  numbers: () => { id: string; kind: string }[];
  /** An answer was queued: the engine looks at once. */
  queued: (campaignId: number) => void;
  /** A Cloud number's account templates (an answer after the 24-hour window is one of them). */
  waTemplate?: (id: number) => WaTemplate | undefined;
  /** The Meta account (WABA) a Cloud number belongs to. */
  wabaOf?: (numberId: string) => string | undefined;
};

export type AnswerRequest = {
  phone: string;
  clientId: string;
  text: string;
  templateId?: number | undefined;
  mediaId?: string | null | undefined;
  numberId?: string | undefined;
  /** Set by the auto-replies: the rule that sent it (never by the user). */
  autoRule?: string;
  /** From a Cloud number: an approved template and its values (the only thing it may send after the 24-hour window). */
  waTemplate?: { templateId: number; values: string[] } | undefined;
};

type Row = { id: number; client_id: string; send_id: number; phone: string; number_id: string; created_at: number; state: string; text: string };

/**
 * Answers from a chat (#33): each goes through the campaigns' outbox as a campaign of kind `chat` with one send, so
 * it is recorded before it goes, reconciled after a crash, never sent twice, and its receipts come live. The
 * composer's id is written in the same transaction as the send: the same id again finds the first answer.
 */
export class ChatAnswers {
  constructor(private readonly deps: AnswerDeps) {}

  send(input: AnswerRequest): Answer {
    const earlier = this.byClientId(input.clientId);
    if (earlier) return this.replayed(earlier, input.phone);
    const { db } = this.deps;
    if (db.prepare('SELECT 1 FROM opt_outs WHERE phone = ?').get(input.phone) !== undefined) {
      throw new AppError('opted_out', `${input.phone} asked not to get messages`, 'phone');
    }
    const conversation = db.prepare('SELECT number_id, chat_id, last_in_at FROM conversations WHERE phone = ?').get(input.phone) as { number_id: string; chat_id: string; last_in_at: number } | undefined;
    const numberId = this.numberFor(input, conversation?.number_id);
    const cloud = this.deps.numbers().find((n) => n.id === numberId)?.kind === 'cloud';
    const contact = db.prepare('SELECT id, name, fields FROM contacts WHERE phone = ?').get(input.phone) as { id: number; name: string | null; fields: string } | undefined;
    const template = input.waTemplate ? this.cloudTemplate(input.waTemplate, numberId, cloud) : null;
    const { body, mediaId } = template ? { body: '', mediaId: null } : this.content(input);
    const text = template ? template.text : this.render(body, input.phone, contact, mediaId);
    if (cloud && !template) {
      // Meta's rule for a Cloud number: free text only inside the person's 24-hour window (after it, an approved
      // template: the composer offers them), and the app sends no file outside a template yet.
      if (!conversation || conversation.last_in_at < this.deps.now() - CLOUD_WINDOW_MS) throw new AppError('cloud_window_closed', 'more than 24 hours since their last message', 'numberId');
      if (mediaId) throw new AppError('cloud_media_answer', 'a Cloud number answers with text only', 'mediaId');
    }
    const now = this.deps.now();
    const settings: CampaignSettings = {
      pace: { preset: 'standard' },
      window: null,
      timeZone: this.deps.timeZone(),
      startAt: null,
      skipRecent: false,
      // The template the send goes as; its values are the send's own (`sends.params`), typed in the composer.
      ...(template ? { cloud: { templateId: template.id, params: [] } } : {}),
    };
    const made = db.transaction(() => {
      // Checked again inside the write: the same answer sent twice at once makes one message.
      const raced = db.prepare('SELECT id FROM chat_answers WHERE client_id = ?').pluck().get(input.clientId) as number | undefined;
      if (raced !== undefined) return { id: raced, campaign: null };
      const contactId = contact?.id ?? unlistedContactId(db, input.phone, now);
      const campaign = Number(
        db
          .prepare("INSERT INTO campaigns (name, kind, state, body, media_id, seed, settings, created_at, updated_at, started_at) VALUES ('Chat', 'chat', 'running', ?, ?, ?, ?, ?, ?, ?)")
          .run(text, mediaId, this.deps.seed(), JSON.stringify(settings), now, now, now).lastInsertRowid,
      );
      db.prepare('INSERT INTO campaign_numbers (campaign_id, number_id) VALUES (?, ?)').run(campaign, numberId);
      const send = Number(
        db
          .prepare("INSERT INTO sends (campaign_id, contact_id, phone, name, number_id, chat_id, text, media_id, state, updated_at, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)")
          // Into the chat they wrote from (a LID one, when WhatsApp moved them), on the number they wrote to.
          .run(campaign, contactId, input.phone, contact?.name ?? null, numberId, conversation?.number_id === numberId ? conversation.chat_id : null, text, mediaId, now, template ? JSON.stringify(template.values) : null).lastInsertRowid,
      );
      // The time to answer counts from their oldest message nobody had answered yet.
      const repliedTo = input.autoRule ? null : (db.prepare('SELECT MIN(at) FROM incoming WHERE phone = ? AND handled = 0').pluck().get(input.phone) as number | null);
      const id = Number(
        db
          .prepare('INSERT INTO chat_answers (client_id, campaign_id, send_id, phone, number_id, auto_rule, replied_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(input.clientId, campaign, send, input.phone, numberId, input.autoRule ?? null, repliedTo, now).lastInsertRowid,
      );
      // Answered by a person: their messages are handled. An auto-reply leaves them waiting for one.
      if (!input.autoRule) db.prepare('UPDATE incoming SET handled = 1 WHERE phone = ? AND handled = 0').run(input.phone);
      return { id, campaign };
    })();
    if (made.campaign !== null) this.deps.queued(made.campaign);
    return this.view(this.row(made.id)!, false);
  }

  /**
   * An approved template of the Cloud number's own account, with a value for each {{n}} and no button that needs
   * one (those go in campaigns); its text with the values in place is what the chat shows.
   */
  private cloudTemplate(choice: { templateId: number; values: string[] }, numberId: string, cloud: boolean): { id: number; values: string[]; text: string } {
    if (!cloud) throw new AppError('cloud_template_required', 'a template answer goes from a Cloud number', 'numberId');
    const template = this.deps.waTemplate?.(choice.templateId);
    if (!template || template.wabaId !== this.deps.wabaOf?.(numberId)) throw new AppError('not_found', `no template ${choice.templateId} for this number`, 'waTemplate.templateId');
    if (template.status !== 'APPROVED') throw new AppError('cloud_template_not_approved', `template ${template.name} is ${template.status}`, 'waTemplate.templateId');
    if (choice.values.length !== template.params) throw new AppError('cloud_template_required', `the template has ${template.params} parameters, ${choice.values.length} were given`, 'waTemplate.values');
    if (template.header === 'image' || template.header === 'video' || template.header === 'document' || template.cards.length > 0 || template.buttons.some((b) => b.dynamic)) {
      throw new AppError('cloud_template_required', 'this template needs a file or button values: send it from a campaign', 'waTemplate.templateId');
    }
    const text = fillParams(template.body, (n) => choice.values[n - 1] ?? '');
    return { id: template.id, values: choice.values, text };
  }

  private byClientId(clientId: string): Row | undefined {
    const id = this.deps.db.prepare('SELECT id FROM chat_answers WHERE client_id = ?').pluck().get(clientId) as number | undefined;
    return id === undefined ? undefined : this.row(id);
  }

  private replayed(row: Row, phone: string): Answer {
    // The same id for another person is a caller's bug: answering it with someone else's message would be worse.
    if (row.phone !== phone) throw new AppError('idempotency_conflict', `the answer id ${row.client_id} was used for another chat`, 'clientId');
    return this.view(row, true);
  }

  private row(id: number): Row | undefined {
    return this.deps.db
      .prepare('SELECT a.id, a.client_id, a.send_id, a.phone, a.number_id, a.created_at, s.state, s.text FROM chat_answers a JOIN sends s ON s.id = a.send_id WHERE a.id = ?')
      .get(id) as Row | undefined;
  }

  private view(row: Row, replayed: boolean): Answer {
    return { id: row.id, clientId: row.client_id, sendId: row.send_id, phone: row.phone, numberId: row.number_id, state: row.state, text: row.text, createdAt: row.created_at, replayed };
  }

  /** From the number they wrote to; another of the user's numbers when asked; refused when none is left. */
  private numberFor(input: AnswerRequest, wroteTo: string | undefined): string {
    const numbers = this.deps.numbers();
    if (input.numberId !== undefined) {
      if (!numbers.some((n) => n.id === input.numberId)) throw new AppError('not_found', `no number ${input.numberId}`, 'numberId');
      return input.numberId;
    }
    if (wroteTo && numbers.some((n) => n.id === wroteTo)) return wroteTo;
    // Someone who never wrote (a chat opened from the contact): the number that last wrote to them, else the first.
    const last = this.deps.db.prepare("SELECT number_id FROM sends WHERE phone = ? AND number_id IS NOT NULL AND state IN ('sent', 'delivered', 'read') ORDER BY sent_at DESC LIMIT 1").pluck().get(input.phone) as string | undefined;
    if (last && numbers.some((n) => n.id === last)) return last;
    const first = numbers.find((n) => n.kind !== 'cloud') ?? numbers[0];
    if (!first) throw new AppError('no_numbers', 'no number is linked', 'numberId');
    return first.id;
  }

  private content(input: AnswerRequest): { body: string; mediaId: string | null } {
    if (input.templateId === undefined) {
      if (input.mediaId) this.deps.media.get(input.mediaId);
      return { body: input.text, mediaId: input.mediaId ?? null };
    }
    const saved = this.deps.db.prepare('SELECT body, media_id FROM templates WHERE id = ?').get(input.templateId) as { body: string; media_id: string | null } | undefined;
    if (!saved) throw new AppError('not_found', `no saved answer ${input.templateId}`, 'templateId');
    // Text typed beside a saved answer replaces its body (the composer puts the answer's text in the box to edit).
    return { body: input.text.trim() ? input.text : saved.body, mediaId: input.mediaId === undefined ? saved.media_id : input.mediaId };
  }

  private render(body: string, phone: string, contact: { id: number; name: string | null; fields: string } | undefined, mediaId: string | null): string {
    const { nodes, errors } = parseTemplate(body);
    if (errors.length > 0) throw new AppError('template_invalid', errors.map((e) => e.code).join(', '), 'text');
    const fields = contact ? (JSON.parse(contact.fields) as Record<string, string>) : {};
    const rendered = renderNodes(nodes, { id: contact?.id ?? 0, name: contact?.name ?? null, phone, fields }, contactRandom(this.deps.seed(), contact?.id ?? 0));
    if (rendered.missing.length > 0) throw new AppError('missing_field', `no value for ${rendered.missing.join(', ')}`, `fields.${rendered.missing[0]}`);
    if (rendered.text.trim() === '' && !mediaId) throw new AppError('invalid_input', 'the answer is empty', 'text');
    return rendered.text;
  }

}
