import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Statement } from 'better-sqlite3';
import { START_AT_MAX, type CampaignInput, type CampaignSettings, type CampaignView } from '../../shared/campaigns';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import { parseTemplate, renderNodes, contactRandom, mediaView, type MediaStore } from '../messages';
import { Outbox } from './outbox';
import { recipients, startOf } from './recipients';
import { audienceOf, audienceWhere, type Audience } from './audience';
import { SegmentRulesSchema, type Segment } from '../../shared/segments';
import { isTimeZone } from '../../shared/time-zone';
import { assertTransition, type CampaignState } from './state-machine';
import { abVersionOf } from './ab-versions';

type DbCampaign = {
  id: number;
  name: string;
  /** 'api': a message from the user's systems; 'chat': an answer from a conversation (#33). One send each. */
  kind: 'campaign' | 'api' | 'chat';
  state: CampaignState;
  body: string;
  media_id: string | null;
  template_id: number | null;
  seed: number;
  settings: string;
  pause_reason: string | null;
  pause_detail: string | null;
  needs_confirmation: number;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** When the user last went on past an automatic brake (migration 17). */
  brake_since: number | null;
  /** A follow-up's first campaign (migration 23). */
  parent_id: number | null;
  /** A recurring campaign's plan, for its runs (migration 23). */
  recurring_id: number | null;
};

const LAUNCH_BATCH = 2000;

export class CampaignsRepo {
  readonly outbox: Outbox;

  constructor(
    private readonly db: Db,
    private readonly media: MediaStore,
    private readonly now: () => number,
    private readonly seed: () => number,
    /** The app's time zone: stands in for a campaign's zone that this runtime does not know. */
    private readonly fallbackZone: () => string = () => 'America/Mexico_City',
  ) {
    this.outbox = new Outbox(db, now);
  }

  private byId: Statement | undefined;

  row(id: number): DbCampaign {
    this.byId ??= this.db.prepare('SELECT * FROM campaigns WHERE id = ?');
    const row = this.byId.get(id) as DbCampaign | undefined;
    if (!row) throw new AppError('not_found', `no campaign ${id}`, 'id');
    return row;
  }

  settings(id: number): CampaignSettings {
    return this.parseSettings(this.row(id).settings);
  }

  /**
   * Stored settings as the engine may use them. Version 0.1.0 stored any zone name, and one that Intl refuses (or that a
   * newer runtime dropped) threw from the engine's timers at every start: such a zone reads as the app's own.
   */
  private parseSettings(json: string): CampaignSettings {
    const parsed = JSON.parse(json) as CampaignSettings;
    // A start past JavaScript's date range (accepted before 0.2) made every view of the campaign fail: it reads as
    // the latest start allowed.
    const settings = parsed.startAt !== null && !(Math.abs(parsed.startAt) <= START_AT_MAX) ? { ...parsed, startAt: START_AT_MAX } : parsed;
    return isTimeZone(settings.timeZone) ? settings : { ...settings, timeZone: this.fallbackZone() };
  }

  private byState = new Map<string, Statement>();

  /** Asked by every lane before every send: prepared once per set of states. */
  ids(states: CampaignState[]): number[] {
    const key = states.join(',');
    let statement = this.byState.get(key);
    if (!statement) {
      statement = this.db.prepare(`SELECT id FROM campaigns WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY id`).pluck();
      this.byState.set(key, statement);
    }
    return statement.all(...states) as number[];
  }

  list(): CampaignView[] {
    return (this.db.prepare("SELECT id FROM campaigns WHERE kind = 'campaign' ORDER BY created_at DESC, id DESC").pluck().all() as number[]).map((id) => this.view(id));
  }

  /** Of a campaign's skipped sends, those a cancel left unsent (they count in its target): the list and the live view. */
  cancelledCount(row: Pick<DbCampaign, 'id' | 'state'>): number {
    if (row.state !== 'cancelled') return 0;
    return this.db.prepare("SELECT COUNT(*) FROM sends WHERE campaign_id = ? AND state = 'skipped' AND reason = 'cancelled'").pluck().get(row.id) as number;
  }

  view(id: number): CampaignView {
    const row = this.row(id);
    const counts = this.outbox.counts(id);
    const numbers = this.db
      .prepare('SELECT cn.number_id AS id, COALESCE(n.label, cn.number_id) AS label, cn.lost FROM campaign_numbers cn LEFT JOIN numbers n ON n.id = cn.number_id WHERE cn.campaign_id = ? ORDER BY COALESCE(n.created_at, 0), cn.number_id')
      .all(id) as { id: string; label: string; lost: number }[];
    const lists = this.db
      .prepare('SELECT cl.list_id AS id, COALESCE(l.name, \'—\') AS name, cl.exclude FROM campaign_lists cl LEFT JOIN lists l ON l.id = cl.list_id WHERE cl.campaign_id = ?')
      .all(id) as { id: number; name: string; exclude: number }[];
    return {
      id: row.id,
      name: row.name,
      state: row.state,
      pauseReason: row.pause_reason,
      pauseDetail: row.pause_detail,
      needsConfirmation: row.needs_confirmation === 1,
      body: row.body,
      media: row.media_id ? mediaView(this.media, row.media_id) : null,
      settings: this.parseSettings(row.settings),
      numbers: numbers.map((n) => ({ id: n.id, label: n.label, lost: n.lost === 1 })),
      lists: lists.map((l) => ({ id: l.id, name: l.name, exclude: l.exclude === 1 })),
      segments: this.segmentsOf(id),
      parentId: row.parent_id,
      recurringId: row.recurring_id,
      followUps: this.followUpsOf(id),
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      cancelled: this.cancelledCount(row),
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    };
  }

  /** A campaign's follow-ups with how far each got (the campaign's page and report show them as part of it). */
  followUpsOf(id: number): CampaignView['followUps'] {
    const children = this.db.prepare('SELECT id, name, state, settings FROM campaigns WHERE parent_id = ? ORDER BY id').all(id) as Pick<DbCampaign, 'id' | 'name' | 'state' | 'settings'>[];
    return children.flatMap((child) => {
      const settings = this.parseSettings(child.settings);
      if (!settings.followUpOf) return [];
      const counts = this.outbox.counts(child.id);
      return [{ id: child.id, name: child.name, state: child.state, startAt: settings.startAt, afterDays: settings.followUpOf.afterDays, who: settings.followUpOf.who, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) }];
    });
  }

  /**
   * At a campaign's launch, its follow-up becomes a campaign of its own, scheduled `afterDays` after the start, with
   * no one in it yet: it is filled when due from who engaged by then (see FollowUps). Made once.
   */
  createFollowUp(parentId: number, name: string): number | null {
    const parent = this.row(parentId);
    const settings = this.parseSettings(parent.settings);
    const plan = settings.followUp;
    if (!plan) return null;
    const existing = this.db.prepare('SELECT id FROM campaigns WHERE parent_id = ?').pluck().get(parentId) as number | undefined;
    if (existing !== undefined) return existing;
    const startAt = startOf(settings, this.now()) + plan.afterDays * 86_400_000;
    // The follow-up is one message: the first campaign's A/B test is not its own.
    const { followUp: _plan, abTest: _ab, ...rest } = settings;
    const childSettings: CampaignSettings = { ...rest, startAt, followUpOf: { campaignId: parentId, who: plan.who, afterDays: plan.afterDays } };
    const now = this.now();
    return this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare("INSERT INTO campaigns (name, state, body, media_id, template_id, seed, settings, created_at, updated_at, parent_id) VALUES (?, 'scheduled', ?, ?, NULL, ?, ?, ?, ?, ?)")
          .run(name, plan.body, plan.mediaId, this.seed(), JSON.stringify(childSettings), now, now, parentId).lastInsertRowid,
      );
      this.db.prepare('INSERT INTO campaign_numbers (campaign_id, number_id) SELECT ?, number_id FROM campaign_numbers WHERE campaign_id = ?').run(id, parentId);
      return id;
    })();
  }

  /** Whether a campaign's outbox has been made (a follow-up's is made when it is due). */
  hasOutbox(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM sends WHERE campaign_id = ? LIMIT 1').get(id) !== undefined;
  }

  /** Its segments with the rules it keeps (copied when drafted, copied again at launch). */
  segmentsOf(id: number): Pick<Segment, 'id' | 'name' | 'match' | 'rules'>[] {
    return (this.db.prepare('SELECT segment_id, name, rules FROM campaign_segments WHERE campaign_id = ? ORDER BY segment_id').all(id) as { segment_id: number; name: string; rules: string }[]).map((row) => ({
      id: row.segment_id,
      name: row.name,
      ...SegmentRulesSchema.parse(JSON.parse(row.rules)),
    }));
  }

  /**
   * At launch the audience is frozen: each segment's rules as they are now are copied into the campaign (a segment
   * deleted since keeps the copy it had), and its outbox is filled from them.
   */
  freezeSegments(id: number, current: (segmentId: number) => Pick<Segment, 'name' | 'match' | 'rules'> | null): void {
    const update = this.db.prepare('UPDATE campaign_segments SET name = ?, rules = ? WHERE campaign_id = ? AND segment_id = ?');
    for (const { id: segmentId } of this.segmentsOf(id)) {
      const segment = current(segmentId);
      if (segment) update.run(segment.name, JSON.stringify({ match: segment.match, rules: segment.rules }), id, segmentId);
    }
  }

  /** A draft keeps its own copy of the message: editing the template later never changes it. */
  create(input: CampaignInput, segments: Pick<Segment, 'id' | 'name' | 'match' | 'rules'>[] = []): number {
    const errors = parseTemplate(input.body).errors;
    if (errors.length > 0) throw new AppError('template_invalid', errors.map((e) => e.code).join(', '), 'body');
    if (input.mediaId) this.media.get(input.mediaId);
    const ab = input.settings.abTest;
    if (ab) {
      if (input.settings.cloud) throw new AppError('invalid_input', 'a Cloud API campaign sends one approved template', 'settings.abTest');
      ab.variants.forEach((body, i) => {
        const abErrors = parseTemplate(body).errors;
        if (abErrors.length > 0) throw new AppError('template_invalid', abErrors.map((e) => e.code).join(', '), `settings.abTest.variants.${i}`);
      });
      if (ab.winner !== undefined || ab.decidedAt !== undefined) throw new AppError('invalid_input', 'the best version is chosen by the app', 'settings.abTest.winner');
    }
    const followUp = input.settings.followUp;
    if (followUp) {
      // A Cloud number sends only approved templates: its follow-up would be a second template, not free text.
      if (input.settings.cloud) throw new AppError('invalid_input', 'a Cloud API campaign has no free-text follow-up', 'settings.followUp');
      const followUpErrors = parseTemplate(followUp.body).errors;
      if (followUpErrors.length > 0) throw new AppError('template_invalid', followUpErrors.map((e) => e.code).join(', '), 'settings.followUp.body');
      if (followUp.mediaId) this.media.get(followUp.mediaId);
    }
    const now = this.now();
    return this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare("INSERT INTO campaigns (name, state, body, media_id, template_id, seed, settings, created_at, updated_at) VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?)")
          .run(input.name, input.body, input.mediaId, input.templateId, this.seed(), JSON.stringify(input.settings), now, now).lastInsertRowid,
      );
      const addList = this.db.prepare('INSERT OR IGNORE INTO campaign_lists (campaign_id, list_id, exclude) VALUES (?, ?, ?)');
      for (const list of input.includeListIds) addList.run(id, list, 0);
      for (const list of input.excludeListIds) addList.run(id, list, 1);
      const addSegment = this.db.prepare('INSERT OR IGNORE INTO campaign_segments (campaign_id, segment_id, name, rules) VALUES (?, ?, ?, ?)');
      for (const segment of segments) addSegment.run(id, segment.id, segment.name, JSON.stringify({ match: segment.match, rules: segment.rules }));
      const addNumber = this.db.prepare('INSERT OR IGNORE INTO campaign_numbers (campaign_id, number_id) VALUES (?, ?)');
      for (const number of input.numberIds) addNumber.run(id, number);
      return id;
    })();
  }

  /** The one function every state change goes through; illegal changes are refused and change nothing. */
  transition(id: number, to: CampaignState, extra: { reason?: string | null; detail?: string | null; needsConfirmation?: boolean } = {}): void {
    const row = this.row(id);
    assertTransition(row.state, to);
    const now = this.now();
    this.db
      .prepare(
        `UPDATE campaigns SET state = @to, updated_at = @now, pause_reason = @reason, pause_detail = @detail, needs_confirmation = @confirm,
           started_at = CASE WHEN @to = 'running' THEN COALESCE(started_at, @now) ELSE started_at END,
           finished_at = CASE WHEN @to IN ('completed', 'cancelled') THEN @now ELSE finished_at END
         WHERE id = @id AND state = @from`,
      )
      .run({ to, from: row.state, now, id, reason: extra.reason ?? null, detail: extra.detail ?? null, confirm: extra.needsConfirmation ? 1 : 0 });
    if (to === 'cancelled') {
      this.db.prepare("UPDATE sends SET state = 'skipped', reason = 'cancelled', updated_at = ? WHERE campaign_id = ? AND state = 'queued'").run(now, id);
    }
  }

  /**
   * Creates the outbox: one row per contact with its text rendered now (or skipped, with why). Runs in batches,
   * and may be repeated after a crash: rows already made stay as they are.
   */
  async fillOutbox(id: number): Promise<void> {
    // Who read what is part of a follow-up's audience: the receipts waiting to be written count.
    this.outbox.flushReceipts();
    const row = this.row(id);
    const audience = audienceOf(this.db, id);
    const numbers = new Set(this.db.prepare('SELECT number_id FROM campaign_numbers WHERE campaign_id = ?').pluck().all(id) as string[]);
    const settings = this.parseSettings(row.settings);
    const versions = [row.body, ...(settings.abTest?.variants ?? [])].map((body) => parseTemplate(body).nodes);
    const versionOf = abVersionOf(settings.abTest, versions.length, row.seed);
    const startsAt = startOf(settings, this.now());
    const skipRecent = settings.skipRecent ?? true;
    // A Cloud campaign's template parameters, one field each, rendered per contact beside the text.
    // Then the values of its buttons that take one: a contact field (a link's end) or one text for all (a code).
    const buttonNodes = (settings.cloud?.buttons ?? []).map((b) => (b.field !== undefined ? parseTemplate(`{{${b.field}}}`).nodes : [{ kind: 'text' as const, value: b.text ?? '' }]));
    const paramNodes = settings.cloud ? [...settings.cloud.params.map((field) => parseTemplate(`{{${field}}}`).nodes), ...buttonNodes] : null;
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO sends (campaign_id, contact_id, phone, name, number_id, text, media_id, state, reason, updated_at, params, variant)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let after = 0;
    for (;;) {
      const batch = recipients(this.db, audience, startsAt, after, LAUNCH_BATCH);
      if (batch.length === 0) break;
      this.db.transaction(() => {
        for (const r of batch) {
          // An A/B test's contact outside its test share waits for the best version (a later fill, see AbTests).
          const version = versionOf(r.id);
          if (version === null) continue;
          const contact = { id: r.id, name: r.name, phone: r.phone, fields: JSON.parse(r.fields) as Record<string, string> };
          const rendered = renderNodes(versions[version] ?? [], contact, contactRandom(row.seed, r.id));
          const params = paramNodes ? JSON.stringify(paramNodes.map((n) => renderNodes(n, contact, contactRandom(row.seed, r.id)).text)) : null;
          const skip = r.opted_out
            ? 'opted_out'
            : r.wa_status === 'not_on_whatsapp'
              ? 'not_on_whatsapp'
              : rendered.missing.length > 0
                ? 'missing_field'
                : r.capped
                  ? 'frequency_cap'
                  : r.recent && skipRecent
                    ? 'recent_24h'
                    : null;
          // Prefer the number that already wrote to this contact, when it serves this campaign.
          const preferred = r.previous_number && numbers.has(r.previous_number) ? r.previous_number : null;
          insert.run(id, r.id, r.phone, r.name, preferred, rendered.text, row.media_id, skip ? 'skipped' : 'queued', skip, this.now(), params, settings.abTest ? version : null);
        }
      })();
      after = batch[batch.length - 1]?.id ?? after;
      await yieldToLoop();
    }
  }

  /** Marks a number as lost to a campaign and hands its waiting contacts to the others. */
  loseNumber(campaignId: number, numberId: string): number {
    this.db.prepare('UPDATE campaign_numbers SET lost = 1 WHERE campaign_id = ? AND number_id = ?').run(campaignId, numberId);
    this.db.prepare("UPDATE sends SET number_id = NULL WHERE campaign_id = ? AND number_id = ? AND state = 'queued'").run(campaignId, numberId);
    // Its in-flight sends cannot be asked about any more: in doubt, never resent by themselves.
    this.db.prepare("UPDATE sends SET state = 'in_doubt', reason = 'number_lost' WHERE campaign_id = ? AND number_id = ? AND state = 'sending'").run(campaignId, numberId);
    return this.db.prepare('SELECT COUNT(*) FROM campaign_numbers WHERE campaign_id = ? AND lost = 0').pluck().get(campaignId) as number;
  }

  /** A message from the user's systems that can go nowhere: its waiting send fails with why, and it is over. */
  failApi(campaignId: number, reason: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE sends SET state = 'failed', reason = ?, updated_at = ? WHERE campaign_id = ? AND state = 'queued'").run(reason, this.now(), campaignId);
      if (this.row(campaignId).state === 'running' && this.remaining(campaignId) === 0) this.transition(campaignId, 'completed');
    })();
  }

  restoreNumbers(campaignId: number, available: (numberId: string) => boolean): number {
    const lost = this.db.prepare('SELECT number_id FROM campaign_numbers WHERE campaign_id = ? AND lost = 1').pluck().all(campaignId) as string[];
    for (const n of lost) if (available(n)) this.db.prepare('UPDATE campaign_numbers SET lost = 0 WHERE campaign_id = ? AND number_id = ?').run(campaignId, n);
    return this.db.prepare('SELECT COUNT(*) FROM campaign_numbers WHERE campaign_id = ? AND lost = 0').pluck().get(campaignId) as number;
  }

  campaignsOfNumber(numberId: string, states: CampaignState[]): number[] {
    return this.db
      .prepare(`SELECT c.id FROM campaigns c JOIN campaign_numbers cn ON cn.campaign_id = c.id WHERE cn.number_id = ? AND cn.lost = 0 AND c.state IN (${states.map(() => '?').join(',')})`)
      .pluck()
      .all(numberId, ...states) as number[];
  }

  /** A campaign's numbers with the name the user gave them (kept after a number is unlinked). */
  numbersOf(campaignId: number): { id: string; label: string; lost: boolean }[] {
    return (
      this.db
        .prepare('SELECT cn.number_id AS id, COALESCE(n.label, cn.number_id) AS label, cn.lost FROM campaign_numbers cn LEFT JOIN numbers n ON n.id = cn.number_id WHERE cn.campaign_id = ?')
        .all(campaignId) as { id: string; label: string; lost: number }[]
    ).map((n) => ({ id: n.id, label: n.label, lost: n.lost === 1 }));
  }

  private remainingStatement: Statement | undefined;

  remaining(campaignId: number): number {
    this.remainingStatement ??= this.db.prepare("SELECT COUNT(*) FROM sends WHERE campaign_id = ? AND state IN ('queued', 'sending')").pluck();
    return this.remainingStatement.get(campaignId) as number;
  }

  /**
   * Contacts the campaign would write to without a recorded "yes" to getting messages (never asked, or the user
   * said they did not agree): launching to them needs the user's explicit confirmation.
   */
  withoutConsent(id: number): number {
    return countWithoutConsent(this.db, audienceOf(this.db, id), startOf(this.parseSettings(this.row(id).settings), this.now()));
  }
}

/** Of the audience's contacts who could be sent to (not opted out, not known off WhatsApp), those without a "yes". */
export function countWithoutConsent(db: Db, audience: Audience, now: number): number {
  const where = audienceWhere(audience, now);
  return db
    .prepare(
      `SELECT COUNT(*) FROM contacts c
       WHERE ${where.sql}
         AND (c.consent IS NULL OR c.consent != 'yes') AND c.wa_status != 'not_on_whatsapp'
         AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = c.phone)`,
    )
    .pluck()
    .get(where.params) as number;
}
