import fs from 'node:fs';

/** Meta's Graph API, the version the handout's OpenAPI file describes. */
export const GRAPH_URL = 'https://graph.facebook.com';
export const GRAPH_VERSION = 'v23.0';
/** A request that takes longer than this is given up (the send is then asked about, never resent blindly). */
const TIMEOUT_MS = 30_000;

/** A Graph API error as Meta returns it (GraphAPIError in the spec), or a network failure (`code` 0). */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly subcode: number | null = null,
    readonly transient = false,
    readonly userMessage: string | null = null,
  ) {
    super(message);
    this.name = 'GraphError';
  }

  /** No answer at all (no network, a timeout): the request may or may not have reached Meta. */
  get network(): boolean {
    return this.status === 0;
  }
}

/**
 * `whatsapp_business_manager_messaging_limit` is the limit today (per business portfolio since 2025-10-07);
 * `messaging_limit_tier` is deprecated and read only when the new one is absent (Meta, "Messaging limits":
 * developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits).
 */
export type PhoneNumberInfo = {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: string;
  whatsapp_business_manager_messaging_limit?: string;
  messaging_limit_tier?: string;
};
/** The business portfolio that owns a WhatsApp Business account (its limit is the portfolio's). */
export type AccountInfo = { id: string; name?: string; owner_business_info?: { id?: string; name?: string } };
/** A template button's value for one send: a URL's variable suffix, a coupon code, a quick reply's payload. */
export type ButtonParam = { index: number; kind: 'url' | 'copy_code' | 'quick_reply'; value: string };
export type GraphTemplate = { id: string; name: string; language: string; status: string; category: string; components?: GraphTemplateComponent[] };
export type GraphTemplateComponent = { type: string; format?: string; text?: string; example?: unknown; buttons?: unknown[]; cards?: unknown[] };
export type TemplateParameter = { type: 'text'; text: string } | { type: 'image' | 'video' | 'document'; image?: { id: string }; video?: { id: string }; document?: { id: string; filename?: string } };
export type TemplateSend = {
  /** A phone number's digits, or a business-scoped user id (BSUID) for someone whose phone Meta does not give. */
  to: string;
  name: string;
  language: string;
  body: string[];
  header?: { kind: 'image' | 'video' | 'document'; mediaId: string; fileName?: string };
  buttons?: ButtonParam[];
  /** A carousel's cards, each with its header's uploaded media (the cards' texts and buttons are the template's). */
  cards?: { kind: 'image' | 'video'; mediaId: string }[];
  /** Comes back in every status webhook of this message: the app's own send id, to find it after a crash. */
  callback: string;
};

/** The few Graph calls the app makes, with a system user's token. `fetch` and the base URL are injected (tests). */
export class GraphClient {
  constructor(
    private readonly opts: { token: () => string; baseUrl?: string; fetch?: typeof fetch; timeoutMs?: number },
  ) {}

  phoneNumber(phoneNumberId: string): Promise<PhoneNumberInfo> {
    return this.request('GET', `/${phoneNumberId}?fields=id,display_phone_number,verified_name,quality_rating,whatsapp_business_manager_messaging_limit,messaging_limit_tier`);
  }

  /** The account's business portfolio, whose numbers share one messaging limit. */
  account(wabaId: string): Promise<AccountInfo> {
    return this.request('GET', `/${wabaId}?fields=id,name,owner_business_info`);
  }

  async templates(wabaId: string): Promise<GraphTemplate[]> {
    const all: GraphTemplate[] = [];
    let after: string | null = null;
    // Paged by Meta's cursors; a WABA holds at most a few hundred templates.
    for (let page = 0; page < 50; page++) {
      const query: string = `fields=id,name,language,status,category,components&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const answer = await this.request<{ data: GraphTemplate[]; paging?: { cursors?: { after?: string }; next?: string } }>('GET', `/${wabaId}/message_templates?${query}`);
      all.push(...answer.data);
      after = answer.paging?.next ? (answer.paging.cursors?.after ?? null) : null;
      if (!after) break;
    }
    return all;
  }

  createTemplate(wabaId: string, template: { name: string; language: string; category: string; components: GraphTemplateComponent[] }): Promise<{ id: string; status: string; category: string }> {
    return this.request('POST', `/${wabaId}/message_templates`, template);
  }

  /** Uploads a file once; its id is reused by every send of that file (Meta keeps it 30 days). */
  async uploadMedia(phoneNumberId: string, file: { path: string; mimeType: string; fileName: string }): Promise<string> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', file.mimeType);
    form.append('file', new Blob([fs.readFileSync(file.path)], { type: file.mimeType }), file.fileName);
    const answer = await this.request<{ id: string }>('POST', `/${phoneNumberId}/media`, form);
    return answer.id;
  }

  /**
   * A template's sample header (image, video, document) goes through Meta's Resumable Upload API, on the app:
   * a session for the file, then its bytes; the answer is the handle the template's example names. (These two
   * calls are not in the handout's OpenAPI file; they follow Meta's Resumable Upload API documentation.)
   */
  async uploadSample(appId: string, file: { path: string; mimeType: string; fileName: string }): Promise<string> {
    const bytes = fs.readFileSync(file.path);
    const query = `file_name=${encodeURIComponent(file.fileName)}&file_length=${bytes.length}&file_type=${encodeURIComponent(file.mimeType)}`;
    const session = await this.request<{ id: string }>('POST', `/${appId}/uploads?${query}`);
    const uploaded = await this.request<{ h: string }>('POST', `/${session.id}`, bytes, { 'file_offset': '0', Authorization: `OAuth ${this.opts.token()}` });
    return uploaded.h;
  }

  async sendTemplate(phoneNumberId: string, send: TemplateSend): Promise<{ messageId: string; waId: string | null }> {
    const components: unknown[] = [];
    if (send.header) {
      const media = send.header.kind === 'document' ? { id: send.header.mediaId, ...(send.header.fileName ? { filename: send.header.fileName } : {}) } : { id: send.header.mediaId };
      components.push({ type: 'header', parameters: [{ type: send.header.kind, [send.header.kind]: media }] });
    }
    if (send.body.length > 0) components.push({ type: 'body', parameters: send.body.map((text) => ({ type: 'text', text })) });
    for (const button of send.buttons ?? []) components.push(buttonComponent(button));
    if (send.cards?.length) {
      components.push({ type: 'carousel', cards: send.cards.map((card, i) => ({ card_index: i, components: [{ type: 'header', parameters: [{ type: card.kind, [card.kind]: { id: card.mediaId } }] }] })) });
    }
    const answer = await this.request<{ messages?: { id: string }[]; contacts?: { wa_id?: string }[] }>('POST', `/${phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...addressOf(send.to),
      type: 'template',
      template: { name: send.name, language: { policy: 'deterministic', code: send.language }, ...(components.length ? { components } : {}) },
      biz_opaque_callback_data: send.callback,
    });
    return { messageId: messageIdOf(answer), waId: answer.contacts?.[0]?.wa_id?.trim() ?? null };
  }

  /** Free text: only inside the 24 hours after the person last wrote (Meta refuses it otherwise with 131047). */
  async sendText(phoneNumberId: string, to: string, text: string): Promise<{ messageId: string }> {
    const answer = await this.request<{ messages?: { id: string }[] }>('POST', `/${phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...addressOf(to),
      type: 'text',
      text: { body: text, preview_url: false },
    });
    return { messageId: messageIdOf(answer) };
  }

  private async request<T>(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const url = `${this.opts.baseUrl ?? GRAPH_URL}/${GRAPH_VERSION}${pathAndQuery}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.opts.token()}`, ...extraHeaders };
    let payload: string | FormData | Uint8Array | undefined;
    if (body instanceof FormData) payload = body;
    else if (body instanceof Uint8Array) {
      headers['Content-Type'] = 'application/octet-stream';
      payload = body;
    }
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await (this.opts.fetch ?? fetch)(url, { method, headers, body: payload, signal: AbortSignal.timeout(this.opts.timeoutMs ?? TIMEOUT_MS) });
    } catch (error) {
      throw new GraphError(0, 0, `graph.facebook.com could not be reached: ${(error as Error).message}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new GraphError(response.status, -1, `Meta answered ${response.status} with something that is not JSON`);
    }
    if (!response.ok) {
      const e = (json as { error?: { code?: number; error_subcode?: number; message?: string; is_transient?: boolean; error_user_msg?: string; error_data?: { details?: string } } }).error;
      throw new GraphError(response.status, e?.code ?? -1, e?.error_data?.details ?? e?.message ?? `HTTP ${response.status}`, e?.error_subcode ?? null, e?.is_transient ?? false, e?.error_user_msg ?? null);
    }
    return json as T;
  }
}

/** A BSUID (`MX.1234…`, `US.ENT.…`): a WhatsApp user known to this business by id, not by phone. */
export function isBsuid(address: string): boolean {
  return /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/.test(address);
}

/**
 * A phone goes in `to`; a BSUID goes in `recipient` (Meta, "Business-scoped user IDs": sending to a user whose
 * phone is not known; developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids).
 */
function addressOf(to: string): { to: string } | { recipient: string } {
  return isBsuid(to) ? { recipient: to } : { to };
}

/**
 * A button's value in a send, as Meta's "Send template messages" documents it: a URL button's variable suffix as
 * text, a copy-code button's coupon code, a quick reply's payload; `index` is the button's position in the template.
 */
function buttonComponent(button: ButtonParam): unknown {
  const parameter =
    button.kind === 'url' ? { type: 'text', text: button.value } : button.kind === 'copy_code' ? { type: 'coupon_code', coupon_code: button.value } : { type: 'payload', payload: button.value };
  return { type: 'button', sub_type: button.kind, index: String(button.index), parameters: [parameter] };
}

/** The id Meta gave a message it took (`wamid.…`); an answer without one is no proof it went out. */
function messageIdOf(answer: { messages?: { id: string }[] }): string {
  const id = answer.messages?.[0]?.id;
  if (!id) throw new GraphError(200, -1, 'Meta answered without a message id');
  return id;
}
