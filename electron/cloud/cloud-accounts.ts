import crypto from 'node:crypto';
import { STOP_PROMOTIONS_TEXTS, type CloudCredentials, type CloudNumber, type DraftButton, type TemplateDraft, type WaTemplate } from '../../shared/cloud';
import type { NumberView } from '../../shared/numbers';
import { AppError } from '../core/app-error';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import { parseTemplate } from '../messages';
import type { Node } from '../messages/template';
import type { SessionManager } from '../whatsapp';
import { tierLimit, type CloudNumbersRepo, type CloudNumberRow } from './cloud-numbers-repo';
import type { CloudSecrets } from './cloud-secrets';
import { GraphError, type GraphClient, type GraphTemplateComponent } from './graph-client';
import type { AddressRule } from '../core/outbound';
import { checkRelayUrl } from './relay-poller';

/**
 * Cloud API numbers as the user manages them: added with the ids and the token Meta gave (checked against the API
 * before anything is kept), their templates listed and synced, a saved message submitted as a new template.
 */
export class CloudAccounts {
  constructor(
    private readonly deps: {
      repo: CloudNumbersRepo;
      secrets: CloudSecrets;
      sessions: SessionManager;
      graph: (token: string) => GraphClient;
      clock: Clock;
      logger: Logger;
      webhookUrl: () => string | null;
      lastWebhookAt: (numberId: string) => number | null;
      /** Which addresses a relay may be on (public only, but in tests). */
      relayRule: AddressRule;
    },
  ) {}

  /** Checks the credentials with Meta first: a wrong id or token writes nothing and says why. */
  async add(input: CloudCredentials): Promise<NumberView> {
    const { repo, secrets, sessions } = this.deps;
    if (repo.byPhoneNumberId(input.phoneNumberId)) throw new AppError('number_exists', 'this Phone-Number ID is already in the app', 'phoneNumberId');
    const graph = this.deps.graph(input.token);
    const info = await graph.phoneNumber(input.phoneNumberId).catch((error: unknown) => {
      throw asAppError(error, 'phoneNumberId');
    });
    // The WABA's templates answer only for the right account: a mistyped WABA id is said now, not at the first send.
    const templates = await graph.templates(input.wabaId).catch((error: unknown) => {
      throw asAppError(error, 'wabaId');
    });
    const portfolio = await portfolioOf(graph, input.wabaId);
    const view = sessions.add('cloud', input.label ?? info.verified_name ?? info.display_phone_number, (id) => {
      secrets.set(id, { token: input.token, appSecret: input.appSecret.toLowerCase() });
      repo.insert({ number_id: id, phone_number_id: input.phoneNumberId, waba_id: input.wabaId, verify_token: crypto.randomBytes(16).toString('hex') });
      repo.saveCheck(id, info, this.deps.clock.now());
      if (portfolio) repo.savePortfolio(id, portfolio);
    });
    repo.saveTemplates(input.wabaId, templates, this.deps.clock.now());
    return view;
  }

  list(): CloudNumber[] {
    return this.deps.repo.all().map((row) => this.view(row));
  }

  get(numberId: string): CloudNumber {
    return this.view(this.require(numberId));
  }

  /** Asks Meta again for the number's name, quality rating and tier. */
  async check(numberId: string): Promise<CloudNumber> {
    const row = this.require(numberId);
    const graph = this.graphOf(numberId);
    const info = await graph.phoneNumber(row.phone_number_id).catch((error: unknown) => {
      throw asAppError(error);
    });
    this.deps.repo.saveCheck(numberId, info, this.deps.clock.now());
    const portfolio = await portfolioOf(graph, row.waba_id);
    if (portfolio) this.deps.repo.savePortfolio(numberId, portfolio);
    return this.get(numberId);
  }

  async syncTemplates(numberId: string): Promise<WaTemplate[]> {
    const row = this.require(numberId);
    const templates = await this.graphOf(numberId)
      .templates(row.waba_id)
      .catch((error: unknown) => {
        throw asAppError(error);
      });
    this.deps.repo.saveTemplates(row.waba_id, templates, this.deps.clock.now());
    return this.deps.repo.templates(row.waba_id);
  }

  templates(numberId: string | null): WaTemplate[] {
    return numberId === null ? this.deps.repo.templates() : this.deps.repo.templates(this.require(numberId).waba_id);
  }

  /**
   * A saved message as a template for Meta's review: each field becomes {{1}}, {{2}} … in the order it first
   * appears, with the user's example for it; variations keep their first option (templates have none).
   */
  async createTemplate(draft: TemplateDraft, message: SavedMessage, cards: SavedMessage[] = []): Promise<WaTemplate> {
    const row = this.require(draft.numberId);
    const { text, fields } = templateText(message.body);
    const missing = fields.find((f) => !draft.examples[f]);
    if (missing) throw new AppError('invalid_input', `an example is needed for ${missing}`, `examples.${missing}`);
    const buttons = templateButtons(draft);
    // An image, video or document becomes the template's header; Meta wants a sample of it, uploaded on the app.
    // A carousel's bubble has no header: each card has its own.
    const media = draft.cards ? null : message.media;
    const format = media ? HEADER_FORMATS[media.kind] : undefined;
    if (media && !format) throw new AppError('media_unsupported', `a template header cannot be ${media.kind}`, 'messageId');
    const cardFiles = cards.map((card, i) => {
      if (!card.media || (card.media.kind !== 'image' && card.media.kind !== 'video')) throw new AppError('invalid_input', 'each card of a carousel needs an image or a video', `cards.${i}`);
      return card.media;
    });
    const appId = draft.appId ?? row.app_id;
    if ((format || cardFiles.length) && !appId) throw new AppError('invalid_input', 'the app id is needed for a template with a header', 'appId');
    const graph = this.graphOf(draft.numberId);
    const sample = async (file: NonNullable<SavedMessage['media']>) => {
      const handle = await graph.uploadSample(appId!, file).catch((error: unknown) => {
        throw asAppError(error, 'appId');
      });
      if (draft.appId) this.deps.repo.setAppId(draft.numberId, draft.appId);
      return handle;
    };
    const header: GraphTemplateComponent[] = [];
    if (format && media) header.push({ type: 'HEADER', format, example: { header_handle: [await sample(media)] } });
    const components: GraphTemplateComponent[] = [
      ...header,
      { type: 'BODY', text, ...(fields.length ? { example: { body_text: [fields.map((f) => draft.examples[f] as string)] } } : {}) },
    ];
    if (cardFiles.length) {
      // Each card: its media, its own text (no fields: Meta reviews each card's text as written), the same buttons.
      const built = [];
      for (const [i, file] of cardFiles.entries()) {
        const cardText = templateText(cards[i]!.body).text;
        built.push({
          components: [
            { type: 'HEADER', format: HEADER_FORMATS[file.kind]!, example: { header_handle: [await sample(file)] } },
            { type: 'BODY', text: cardText },
            ...(buttons.length ? [{ type: 'BUTTONS', buttons }] : []),
          ],
        });
      }
      components.push({ type: 'CAROUSEL', cards: built });
    } else if (buttons.length) components.push({ type: 'BUTTONS', buttons });
    const created = await graph
      .createTemplate(row.waba_id, { name: draft.name, language: draft.language, category: draft.category, components })
      .catch((error: unknown) => {
        throw asAppError(error, 'name');
      });
    this.deps.repo.upsert(row.waba_id, { id: created.id, name: draft.name, language: draft.language, status: created.status ?? 'PENDING', category: created.category ?? draft.category, components }, this.deps.clock.now());
    const saved = this.deps.repo.templates(row.waba_id).find((t) => t.name === draft.name && t.language === draft.language);
    if (!saved) throw new AppError('internal', 'the template was not kept');
    return saved;
  }

  setRelay(numberId: string, url: string | null): CloudNumber {
    this.require(numberId);
    this.deps.repo.setRelay(numberId, url === null ? null : checkRelayUrl(url, this.deps.relayRule));
    return this.get(numberId);
  }

  /** The number left the app: its token and app secret go with it (Meta's account itself is untouched). */
  forget(numberId: string): void {
    if (!this.deps.repo.get(numberId)) return;
    this.deps.secrets.remove(numberId);
    this.deps.repo.remove(numberId);
  }

  private graphOf(numberId: string): GraphClient {
    const secret = this.deps.secrets.get(numberId);
    if (!secret) throw new AppError('cloud_auth', 'the token of this number is missing: add the number again');
    return this.deps.graph(secret.token);
  }

  private require(numberId: string): CloudNumberRow {
    const row = this.deps.repo.get(numberId);
    if (!row) throw new AppError('not_found', `no Cloud number ${numberId}`, 'numberId');
    return row;
  }

  private view(row: CloudNumberRow): CloudNumber {
    return {
      numberId: row.number_id,
      phoneNumberId: row.phone_number_id,
      wabaId: row.waba_id,
      displayPhone: row.display_phone,
      verifiedName: row.verified_name,
      qualityRating: row.quality_rating,
      limitTier: row.limit_tier,
      dailyLimit: tierLimit(row.limit_tier),
      portfolioId: row.portfolio_id,
      portfolioName: row.portfolio_name,
      sharedWith: row.portfolio_id ? this.deps.repo.all().filter((r) => r.portfolio_id === row.portfolio_id && r.number_id !== row.number_id).map((r) => r.number_id) : [],
      checkedAt: row.checked_at,
      verifyToken: row.verify_token,
      webhookLocalUrl: this.deps.webhookUrl(),
      relayUrl: row.relay_url,
      appId: row.app_id,
      secretStore: this.deps.secrets.kind,
      lastWebhookAt: this.deps.lastWebhookAt(row.number_id),
    };
  }
}

type SavedMessage = { body: string; media: { path: string; mimeType: string; fileName: string; kind: string } | null };

/**
 * A draft's buttons as Meta's template components take them: quick replies first (Meta groups them), then links and
 * the code to copy; "Detener promociones" last, with the payload the app knows it by. Meta's limits: 10 buttons, 2
 * links, 1 code.
 */
export function templateButtons(draft: Pick<TemplateDraft, 'buttons' | 'stopPromotions' | 'category' | 'language'>): unknown[] {
  const given = draft.buttons ?? [];
  if (draft.stopPromotions && draft.category !== 'MARKETING') throw new AppError('invalid_input', '"Stop promotions" goes only on marketing templates', 'stopPromotions');
  if (given.filter((b) => b.kind === 'url').length > 2) throw new AppError('invalid_input', 'at most 2 link buttons', 'buttons');
  if (given.filter((b) => b.kind === 'copy_code').length > 1) throw new AppError('invalid_input', 'at most 1 copy-code button', 'buttons');
  if (given.length + (draft.stopPromotions ? 1 : 0) > 10) throw new AppError('invalid_input', 'at most 10 buttons', 'buttons');
  const quick = given.filter((b) => b.kind === 'quick_reply');
  const rest = given.filter((b) => b.kind !== 'quick_reply');
  const stop = draft.stopPromotions ? [{ type: 'QUICK_REPLY', text: draft.language.startsWith('es') ? STOP_PROMOTIONS_TEXTS[0] : STOP_PROMOTIONS_TEXTS[1] }] : [];
  return [...quick.map(asMetaButton), ...stop, ...rest.map(asMetaButton)];
}

function asMetaButton(b: DraftButton): unknown {
  if (b.kind === 'quick_reply') return { type: 'QUICK_REPLY', text: b.text };
  if (b.kind === 'copy_code') return { type: 'COPY_CODE', example: b.example };
  const dynamic = /\{\{\s*1\s*\}\}$/.test(b.url);
  if (dynamic && !b.example) throw new AppError('invalid_input', 'an example is needed for the link\'s end', 'buttons');
  return { type: 'URL', text: b.text, url: b.url, ...(dynamic ? { example: [b.url.replace(/\{\{\s*1\s*\}\}$/, b.example!)] } : {}) };
}

/** The business portfolio of an account; null when the token may not read it (the limit is still read per number). */
async function portfolioOf(graph: GraphClient, wabaId: string) {
  return graph.account(wabaId).catch(() => null);
}

/** The attachments a template header can carry, as Meta names their format. */
const HEADER_FORMATS: Record<string, string | undefined> = { image: 'IMAGE', video: 'VIDEO', document: 'DOCUMENT' };

/** The message's text for a template: `{{campo}}` → `{{n}}` by first appearance, variations → their first option. */
export function templateText(body: string): { text: string; fields: string[] } {
  const fields: string[] = [];
  const walk = (nodes: Node[]): string =>
    nodes
      .map((node) => {
        if (node.kind === 'text') return node.value;
        if (node.kind === 'spin') return walk(node.options[0] ?? []);
        let index = fields.indexOf(node.name);
        if (index < 0) index = fields.push(node.name) - 1;
        return `{{${index + 1}}}`;
      })
      .join('');
  return { text: walk(parseTemplate(body).nodes), fields };
}

/** Meta's refusal in words the UI can show: a bad token, no network, or Meta's own message. */
function asAppError(error: unknown, field?: string): AppError {
  if (!(error instanceof GraphError)) return new AppError('internal', String(error));
  if (error.network) return new AppError('cloud_unreachable', error.message);
  if (error.code === 190 || error.code === 10 || error.code === 200 || error.status === 401) return new AppError('cloud_auth', error.message);
  return new AppError('cloud_refused', error.userMessage ?? error.message, field);
}
