import { LIMIT_TIERS, isStopPromotions, type TemplateButton, type WaTemplate } from '../../shared/cloud';
import type { Db } from '../db';
import type { AccountInfo, GraphTemplate, PhoneNumberInfo } from './graph-client';

export type CloudNumberRow = {
  number_id: string;
  phone_number_id: string;
  waba_id: string;
  verify_token: string;
  display_phone: string | null;
  verified_name: string | null;
  quality_rating: string | null;
  limit_tier: string | null;
  relay_url: string | null;
  relay_cursor: string | null;
  app_id: string | null;
  checked_at: number | null;
  portfolio_id: string | null;
  portfolio_name: string | null;
};

type TemplateRow = { id: number; waba_id: string; meta_id: string | null; name: string; language: string; status: string; category: string; body: string; params: number; header: string; components: string; synced_at: number };

/** People per 24 h a tier allows (null: unlimited, or a tier this version does not know). */
export function tierLimit(tier: string | null): number | null {
  if (!tier || !(tier in LIMIT_TIERS)) return null;
  return LIMIT_TIERS[tier as keyof typeof LIMIT_TIERS];
}

/** The Cloud numbers' accounts and their templates, as SQLite keeps them. */
export class CloudNumbersRepo {
  constructor(private readonly db: Db) {}

  get(numberId: string): CloudNumberRow | undefined {
    return this.db.prepare('SELECT * FROM cloud_numbers WHERE number_id = ?').get(numberId) as CloudNumberRow | undefined;
  }

  byPhoneNumberId(phoneNumberId: string): CloudNumberRow | undefined {
    return this.db
      .prepare('SELECT c.* FROM cloud_numbers c JOIN numbers n ON n.id = c.number_id AND n.removed_at IS NULL WHERE c.phone_number_id = ?')
      .get(phoneNumberId) as CloudNumberRow | undefined;
  }

  all(): CloudNumberRow[] {
    return this.db.prepare('SELECT c.* FROM cloud_numbers c JOIN numbers n ON n.id = c.number_id AND n.removed_at IS NULL').all() as CloudNumberRow[];
  }

  insert(row: Pick<CloudNumberRow, 'number_id' | 'phone_number_id' | 'waba_id' | 'verify_token'>): void {
    this.db.prepare('INSERT INTO cloud_numbers (number_id, phone_number_id, waba_id, verify_token) VALUES (?, ?, ?, ?)').run(row.number_id, row.phone_number_id, row.waba_id, row.verify_token);
  }

  remove(numberId: string): void {
    this.db.prepare('DELETE FROM cloud_numbers WHERE number_id = ?').run(numberId);
  }

  saveCheck(numberId: string, info: PhoneNumberInfo, at: number): void {
    this.db
      .prepare('UPDATE cloud_numbers SET display_phone = ?, verified_name = ?, quality_rating = ?, limit_tier = COALESCE(?, limit_tier), checked_at = ? WHERE number_id = ?')
      // Today's field first; the deprecated per-number one only from a Graph that does not give it yet.
      .run(info.display_phone_number ?? null, info.verified_name ?? null, info.quality_rating ?? null, info.whatsapp_business_manager_messaging_limit ?? info.messaging_limit_tier ?? null, at, numberId);
  }

  /** The business portfolio that owns the number's account (its limit is shared by the portfolio's numbers). */
  savePortfolio(numberId: string, account: AccountInfo): void {
    const owner = account.owner_business_info;
    if (!owner?.id) return;
    this.db.prepare('UPDATE cloud_numbers SET portfolio_id = ?, portfolio_name = ? WHERE number_id = ?').run(owner.id, owner.name ?? null, numberId);
  }

  setRelay(numberId: string, url: string | null): void {
    this.db.prepare('UPDATE cloud_numbers SET relay_url = ?, relay_cursor = NULL WHERE number_id = ?').run(url, numberId);
  }

  setAppId(numberId: string, appId: string): void {
    this.db.prepare('UPDATE cloud_numbers SET app_id = ? WHERE number_id = ?').run(appId, numberId);
  }

  setRelayCursor(numberId: string, cursor: string): void {
    this.db.prepare('UPDATE cloud_numbers SET relay_cursor = ? WHERE number_id = ?').run(cursor, numberId);
  }

  /** The most people per day any of these Cloud numbers may reach (the smallest tier), null when none is limited. */
  dailyLimitOf(numberIds: string[]): number | null {
    let limit: number | null = null;
    for (const id of numberIds) {
      const row = this.get(id);
      if (!row) continue;
      const tier = tierLimit(row.limit_tier) ?? (row.limit_tier ? null : LIMIT_TIERS.TIER_250);
      if (tier !== null) limit = limit === null ? tier : Math.min(limit, tier);
    }
    return limit;
  }

  /** Replaces the account's templates with Meta's list (templates deleted at Meta go). */
  saveTemplates(wabaId: string, templates: GraphTemplate[], at: number): void {
    this.db.transaction(() => {
      for (const t of templates) this.upsert(wabaId, t, at);
      this.db.prepare('DELETE FROM wa_templates WHERE waba_id = ? AND synced_at < ?').run(wabaId, at);
    })();
  }

  /** A template just submitted: listed as Meta answered (usually PENDING) until the next sync. */
  upsert(wabaId: string, t: GraphTemplate, at: number): void {
    this.db
      .prepare(
        `INSERT INTO wa_templates (waba_id, meta_id, name, language, status, category, body, params, header, components, synced_at)
         VALUES (@waba, @metaId, @name, @language, @status, @category, @body, @params, @header, @components, @at)
         ON CONFLICT (waba_id, name, language) DO UPDATE SET meta_id = excluded.meta_id, status = excluded.status, category = excluded.category,
           body = excluded.body, params = excluded.params, header = excluded.header, components = excluded.components, synced_at = excluded.synced_at`,
      )
      .run({ waba: wabaId, metaId: t.id, name: t.name, language: t.language, status: t.status, category: t.category, ...shapeOf(t.components ?? []), components: JSON.stringify(t.components ?? []), at });
  }

  templates(wabaId?: string): WaTemplate[] {
    const rows = (wabaId === undefined ? this.db.prepare('SELECT * FROM wa_templates ORDER BY name, language').all() : this.db.prepare('SELECT * FROM wa_templates WHERE waba_id = ? ORDER BY name, language').all(wabaId)) as TemplateRow[];
    return rows.map(toView);
  }

  template(id: number): WaTemplate | undefined {
    const row = this.db.prepare('SELECT * FROM wa_templates WHERE id = ?').get(id) as TemplateRow | undefined;
    return row ? toView(row) : undefined;
  }
}

type Component = { type: string; format?: string; text?: string; buttons?: unknown[]; cards?: { components?: Component[] }[] };

/** A template's buttons as Meta lists them (BUTTONS component). */
export function buttonsOf(components: Component[]): TemplateButton[] {
  const raw = components.find((c) => c.type.toUpperCase() === 'BUTTONS')?.buttons ?? [];
  return raw.map((b) => {
    const button = (b ?? {}) as { type?: string; text?: string; url?: string };
    const type = (button.type ?? '').toUpperCase();
    const url = typeof button.url === 'string' ? button.url : null;
    const text = button.text ?? (type === 'COPY_CODE' ? 'Copiar código' : '');
    return { type, text, url, dynamic: type === 'COPY_CODE' || (type === 'URL' && /\{\{\s*1\s*\}\}/.test(url ?? '')), stopPromotions: type === 'QUICK_REPLY' && isStopPromotions(text) };
  });
}

/** A carousel's cards: each one's header kind, text and buttons. */
export function cardsOf(components: Component[]): WaTemplate['cards'] {
  const carousel = components.find((c) => c.type.toUpperCase() === 'CAROUSEL');
  return (carousel?.cards ?? []).map((card) => {
    const parts = card.components ?? [];
    const format = parts.find((c) => c.type.toUpperCase() === 'HEADER')?.format?.toUpperCase();
    return { header: format === 'VIDEO' ? 'video' : 'image', body: parts.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? '', buttons: buttonsOf(parts) };
  });
}

/** What the app needs of a template's components: its body text, how many {{n}} it has, and its header's kind. */
export function shapeOf(components: { type: string; format?: string; text?: string }[]): { body: string; params: number; header: WaTemplate['header'] } {
  const body = components.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? '';
  const numbers = [...body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
  const head = components.find((c) => c.type.toUpperCase() === 'HEADER');
  const format = head?.format?.toUpperCase();
  const header: WaTemplate['header'] = !head ? 'none' : format === 'IMAGE' ? 'image' : format === 'VIDEO' ? 'video' : format === 'DOCUMENT' ? 'document' : 'text';
  return { body, params: numbers.length ? Math.max(...numbers) : 0, header };
}

function toView(row: TemplateRow): WaTemplate {
  const components = JSON.parse(row.components) as Component[];
  return {
    id: row.id,
    wabaId: row.waba_id,
    name: row.name,
    language: row.language,
    status: row.status,
    category: row.category,
    body: row.body,
    params: row.params,
    header: row.header as WaTemplate['header'],
    buttons: buttonsOf(components),
    cards: cardsOf(components),
    syncedAt: row.synced_at,
  };
}
