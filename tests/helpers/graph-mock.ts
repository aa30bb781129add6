import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest, checkResponse, componentValidator, type SpecCheck } from './meta-spec';

/**
 * A local stand-in for graph.facebook.com, built on Meta's OpenAPI file: every request is checked against the spec
 * (path, method, body schema) and recorded, every answer the mock gives is checked against the spec's 200 schema,
 * and errors are Meta's GraphAPIError shape. It behaves as the Cloud API does where the app depends on it: a bad
 * token is 190, a message gets a `wamid.` id, templates are paged, and errors can be scripted per recipient.
 */
/** The Meta account the Cloud tests add: ids of Meta's own examples, a token and an app secret the mock accepts. */
export const TEST_META = {
  token: 'EAAJB1ZCZBtest0token0for0the0mock0only',
  appSecret: '0123456789abcdef0123456789abcdef',
  account: { phoneNumberId: '106540352242922', wabaId: '102290129340398', displayPhone: '+52 55 9999 0000' },
} as const;

export type MockTemplate = { name: string; language: string; status: string; category: string; components: { type: string; format?: string; text?: string; buttons?: unknown[]; cards?: unknown[] }[] };
/**
 * `resumable`: Meta's Resumable Upload API (a template's sample header), which the handout's OpenAPI file does not
 * describe; shaped after Meta's documentation of it, and told apart so tests check everything else against the spec.
 */
export type Recorded = { method: string; path: string; query: string; body: unknown; check: SpecCheck; resumable: boolean; headers: http.IncomingHttpHeaders };
/**
 * An error as Meta's Cloud API documents it ("Error codes": developers.facebook.com/documentation/business-messaging/
 * whatsapp/support/error-codes): `message` "(#code) title", and the specifics in `error_data.details`.
 */
type GraphFailure = { status: number; code: number; message: string; subcode?: number; details?: string };
/** What a send carried, as the mock took it. */
type SentTemplate = { name: string; language: { code: string }; components?: { type: string; sub_type?: string; index?: string; parameters?: { type: string; text?: string; payload?: string; coupon_code?: string }[]; cards?: unknown[] }[] };

export async function startGraphMock(opts: {
  token: string;
  phoneNumberId: string;
  wabaId: string;
  displayPhone: string;
  verifiedName: string;
  /** The deprecated per-number field (`messaging_limit_tier`), as v23's file describes it. */
  tier?: string;
  /**
   * Today's `whatsapp_business_manager_messaging_limit` (Meta, "Messaging limits": per business portfolio since
   * 2025-10-07; TIER_250, TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED). Not in v23's file; absent unless given.
   */
  limit?: string;
  /** The business portfolio owning the account (the WABA's `owner_business_info`). */
  portfolio?: { id: string; name: string };
  templates: MockTemplate[];
  appId?: string;
  /** More numbers of the same account (so of the same portfolio). */
  otherNumbers?: { phoneNumberId: string; displayPhone: string; verifiedName: string }[];
}) {
  const requests: Recorded[] = [];
  /** Each message Meta took: `to` is the phone's digits, or the BSUID it went to by `recipient`. */
  const sent: { id: string; to: string; byRecipient: boolean; type: string; text: string | null; template: SentTemplate | null; callback: string | undefined }[] = [];
  const badResponses: string[] = [];
  const templates = opts.templates.map((t, i) => ({ id: String(900_000_000_000 + i), ...t }));
  const state = { limit: opts.limit };
  const failFor = new Map<string, GraphFailure>();
  let failNextSend: GraphFailure | null = null;
  let uploads = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, Buffer.concat(chunks)).then(({ status, body }) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
  });

  const error = (f: GraphFailure) => ({
    status: f.status,
    body: {
      error: {
        message: f.message,
        type: 'OAuthException',
        code: f.code,
        ...(f.details ? { error_data: { messaging_product: 'whatsapp', details: f.details } } : {}),
        ...(f.subcode ? { error_subcode: f.subcode } : {}),
        fbtrace_id: 'AXsgnV2Cm3ZMGF3dF_cfYIn',
      },
    },
  });

  async function handle(req: http.IncomingMessage, raw: Buffer): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = req.headers['content-type'] ?? null;
    let body: unknown;
    if (raw.length > 0 && contentType?.startsWith('application/json')) body = JSON.parse(raw.toString('utf8'));
    else if (raw.length > 0 && contentType?.startsWith('multipart/form-data')) body = await formFields(raw, contentType);
    else if (raw.length > 0) body = { bytes: raw.length };
    const resumable = /^\/v[\d.]+\/(\d+\/uploads|upload:[^/]+)$/.test(url.pathname);
    const check = checkRequest(req.method ?? 'GET', url.pathname, body === undefined ? null : contentType, body);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, body, check, resumable, headers: req.headers });
    // The upload of a file's bytes takes "OAuth <token>", as Meta documents it; every other call a bearer token.
    const expected = url.pathname.includes('/upload:') ? `OAuth ${opts.token}` : `Bearer ${opts.token}`;
    if (req.headers.authorization !== expected) return error({ status: 401, code: 190, message: 'Error validating access token: The session has been invalidated.' });
    if (resumable) return upload(url, raw, req.headers);
    const answer = route(req.method ?? 'GET', url, body);
    if (answer.status === 200 && !checkResponse(req.method ?? 'GET', url.pathname, answer.body)) badResponses.push(`${req.method} ${url.pathname}`);
    return answer;
  }

  /** Meta's Resumable Upload API: a session for the file on the app, then its bytes from offset 0, then a handle. */
  const sessions = new Map<string, { length: number; type: string }>();
  function upload(url: URL, raw: Buffer, headers: http.IncomingHttpHeaders): { status: number; body: unknown } {
    const [, , id] = url.pathname.split('/');
    if (id?.startsWith('upload:')) {
      const session = sessions.get(id);
      if (!session || headers.file_offset !== '0' || raw.length !== session.length) return error({ status: 400, code: 100, message: 'Invalid upload session or file offset' });
      return { status: 200, body: { h: `4::${Buffer.from(session.type).toString('base64')}:ARZVv4zuogJMxmAdS3_6T4o:e:1681237341:${opts.appId}:100089620928913:ARa1ZDhwbLZM3EENeeg` } };
    }
    if (id !== opts.appId) return error({ status: 400, code: 100, message: `Unsupported post request. Object with ID '${id}' does not exist` });
    const length = Number(url.searchParams.get('file_length'));
    const type = url.searchParams.get('file_type') ?? '';
    if (!url.searchParams.get('file_name') || !(length > 0) || !type) return error({ status: 400, code: 100, message: 'file_name, file_length and file_type are required' });
    const session = `upload:${Buffer.from(`session-${sessions.size + 1}`).toString('base64url')}`;
    sessions.set(session, { length, type });
    return { status: 200, body: { id: session } };
  }

  function route(method: string, url: URL, body: unknown): { status: number; body: unknown } {
    const [, , id, edge] = url.pathname.split('/');
    const number = id === opts.phoneNumberId ? opts : opts.otherNumbers?.find((n) => n.phoneNumberId === id);
    if (method === 'GET' && number && !edge) {
      return {
        status: 200,
        body: {
          id: number.phoneNumberId,
          display_phone_number: number.displayPhone,
          verified_name: number.verifiedName,
          quality_rating: 'GREEN',
          ...(state.limit ? { whatsapp_business_manager_messaging_limit: state.limit } : {}),
          messaging_limit_tier: opts.tier ?? 'TIER_1K',
        },
      };
    }
    if (method === 'GET' && id === opts.wabaId && !edge) {
      return { status: 200, body: { id: opts.wabaId, name: `${opts.verifiedName} WABA`, ...(opts.portfolio ? { owner_business_info: opts.portfolio } : {}) } };
    }
    if (method === 'GET' && id === opts.wabaId && edge === 'message_templates') {
      // Paged two at a time, as Meta pages with cursors.
      const after = Number(url.searchParams.get('after') ?? 0);
      const page = templates.slice(after, after + 2);
      const next = after + 2 < templates.length;
      return { status: 200, body: { data: page, paging: { cursors: { before: String(after), after: String(after + 2) }, ...(next ? { next: `${url.origin}${url.pathname}?after=${after + 2}` } : {}) } } };
    }
    if (method === 'POST' && id === opts.wabaId && edge === 'message_templates') {
      const t = body as MockTemplate;
      if (templates.some((x) => x.name === t.name && x.language === t.language)) {
        return error({ status: 400, code: 100, message: 'Invalid parameter', subcode: 2388024, details: `Message template "${t.name}" already exists in ${t.language}` });
      }
      const created = { id: String(900_000_001_000 + templates.length), ...t, status: 'PENDING' };
      templates.push(created);
      return { status: 200, body: { id: created.id, status: 'PENDING', category: t.category } };
    }
    if (method === 'POST' && id === opts.phoneNumberId && edge === 'media') {
      uploads += 1;
      return { status: 200, body: { id: String(4_490_709_327_384_000 + uploads) } };
    }
    if (method === 'POST' && id === opts.phoneNumberId && edge === 'messages') {
      const message = body as { to?: string; recipient?: string; type: string; text?: { body?: string }; template?: SentTemplate; biz_opaque_callback_data?: string };
      const to = message.to ?? message.recipient ?? '';
      const failure = failFor.get(to) ?? failNextSend;
      failNextSend = null;
      if (failure) return error(failure);
      // A template send's buttons must match the template's (Meta answers 132000/131008 otherwise).
      const refused = message.template ? templateRefusal(message.template) : null;
      if (refused) return error(refused);
      const wamid = `wamid.${crypto.randomBytes(18).toString('base64url')}`;
      sent.push({ id: wamid, to, byRecipient: message.to === undefined, type: message.type, text: message.text?.body ?? null, template: message.template ?? null, callback: message.biz_opaque_callback_data });
      // To a BSUID, Meta answers with the user's id, not a phone (Meta, "Business-scoped user IDs").
      const contact = message.to === undefined ? { input: to, user_id: to } : { input: to, wa_id: to };
      return { status: 200, body: { messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: wamid, message_status: 'accepted' }] } };
    }
    return error({ status: 400, code: 100, message: `Unsupported ${method} request. Object with ID '${id}' does not exist` });
  }

  /** A send's template as Meta checks it: approved, and a value for each button that takes one, at its position. */
  function templateRefusal(t: SentTemplate): GraphFailure | null {
    const known = templates.find((x) => x.name === t.name && x.language === t.language.code);
    if (!known) return { status: 404, code: 132001, message: '(#132001) Template name does not exist in the translation', details: `template name (${t.name}) does not exist in ${t.language.code}` };
    if (known.status !== 'APPROVED') return { status: 400, code: 132015, message: '(#132015) Template is paused', details: `Template ${t.name} is ${known.status}` };
    const buttons = (known.components.find((c) => c.type === 'BUTTONS')?.buttons ?? []) as { type: string; url?: string }[];
    for (const part of (t.components ?? []).filter((c) => c.type === 'button')) {
      const button = buttons[Number(part.index)];
      const expected = button?.type === 'URL' ? 'url' : button?.type === 'COPY_CODE' ? 'copy_code' : button?.type === 'QUICK_REPLY' ? 'quick_reply' : null;
      if (expected !== part.sub_type) return { status: 400, code: 131008, message: '(#131008) Required parameter is missing', details: `button at index ${part.index} is not a ${part.sub_type} button` };
    }
    const needed = buttons.filter((b, i) => (b.type === 'COPY_CODE' || (b.type === 'URL' && /\{\{1\}\}/.test(b.url ?? ''))) && !(t.components ?? []).some((c) => c.type === 'button' && Number(c.index) === i));
    if (needed.length) return { status: 400, code: 131008, message: '(#131008) Required parameter is missing', details: 'buttons: a value is required for each dynamic button' };
    return null;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    templates,
    /** Answers the mock gave that the spec's 200 schema refuses (the mock itself drifting from Meta). */
    badResponses,
    /** Every send to this recipient fails as Meta would (e.g. 131026, 131049). */
    failRecipient: (to: string, failure: GraphFailure) => failFor.set(to, failure),
    failNextSend: (failure: GraphFailure) => {
      failNextSend = failure;
    },
    /** Meta's review of a submitted template (APPROVED, REJECTED…). */
    review: (name: string, status: string) => {
      for (const t of templates) if (t.name === name) t.status = status;
    },
    /** The portfolio's limit changed (Meta's business_capability_update). */
    setLimit: (limit: string) => {
      state.limit = limit;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type GraphMock = Awaited<ReturnType<typeof startGraphMock>>;

/** A multipart body as its fields (a file as its name), to be checked against the spec's form schema. */
async function formFields(raw: Buffer, contentType: string): Promise<Record<string, string>> {
  const form = await new Request('http://mock/', { method: 'POST', headers: { 'Content-Type': contentType }, body: new Uint8Array(raw) }).formData();
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) fields[key] = typeof value === 'string' ? value : value.name;
  return fields;
}

const webhookPayload = componentValidator('WebhookPayload');

/**
 * Meta's webhook body for one change, checked against the spec's WebhookPayload before the test sends it. The
 * business-scoped user id fields Meta added in 2026 (`user_id`, `from_user_id`, `recipient_user_id`, a profile's
 * `username`; and no phone for a user who hides it — Meta, "Business-scoped user IDs") are beyond v23's file: the
 * rest of such a webhook is checked with them taken out and a stand-in phone where the phone is missing.
 */
export function webhookBody(opts: { wabaId: string; phoneNumberId: string; displayPhone: string }, value: Record<string, unknown>): string {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [{ id: opts.wabaId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: opts.displayPhone, phone_number_id: opts.phoneNumberId }, ...value } }] }],
  };
  const asV23 = JSON.parse(JSON.stringify(payload)) as typeof payload;
  const change = asV23.entry[0]!.changes[0]!.value as unknown as Record<string, Record<string, unknown>[] | undefined>;
  for (const c of change.contacts ?? []) {
    c.wa_id ??= STAND_IN_PHONE;
    delete c.user_id;
    delete c.parent_user_id;
    if (c.profile) delete (c.profile as Record<string, unknown>).username;
  }
  for (const m of change.messages ?? []) {
    m.from ??= STAND_IN_PHONE;
    delete m.from_user_id;
  }
  for (const st of change.statuses ?? []) {
    st.recipient_id ??= STAND_IN_PHONE;
    delete st.recipient_user_id;
  }
  if (!webhookPayload(asV23)) throw new Error(`the test's webhook is not Meta's shape: ${JSON.stringify(webhookPayload.errors)}`);
  return JSON.stringify(payload);
}

const STAND_IN_PHONE = '15550000000';

/** X-Hub-Signature-256 as Meta computes it: HMAC-SHA256 of the exact bytes with the app secret. */
export function metaSignature(body: string, appSecret: string): string {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
