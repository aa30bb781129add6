import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './paths';

/**
 * Meta's own OpenAPI file for the WhatsApp Business Platform (tests/fixtures/meta, from facebook/openapi, with its licence), read once
 * per test file, with a JSON Schema 2020-12 validator over its components: what a request the driver makes, a
 * response the mock gives and a webhook the test sends are checked against.
 */
export const META_SPEC_FILE = path.resolve(REPO_ROOT, 'tests', 'fixtures', 'meta', 'whatsapp-business-messaging-api_v23.0.yaml');

type Operation = { operationId?: string; requestBody?: { content?: Record<string, { schema?: unknown }> }; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Spec = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

let loaded: { spec: Spec; ajv: Ajv2020 } | undefined;

function load(): { spec: Spec; ajv: Ajv2020 } {
  if (loaded) return loaded;
  const spec = yaml.load(fs.readFileSync(META_SPEC_FILE, 'utf8')) as Spec;
  repairIncoming(spec.components as { schemas: Record<string, unknown> });
  catchUp2026(spec.components as { schemas: Record<string, unknown> });
  sealAllOf(spec.components);
  // strict off: Meta's file uses OpenAPI's `discriminator` and `example` inside schemas, which are not JSON Schema.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'meta', components: spec.components });
  loaded = { spec, ajv };
  return loaded;
}

/** A validator for a schema of Meta's file: `schemaOf('WebhookPayload')`. */
export function componentValidator(name: string): ValidateFunction {
  const validate = load().ajv.getSchema(`meta#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in Meta's spec`);
  return validate;
}

const compiled = new Map<unknown, ValidateFunction>();

/** Compiles an inline schema of an operation; its `$ref`s point into the spec's components. */
function validatorOf(schema: unknown): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"meta#/components/')) as object;
    validate = load().ajv.compile(rewritten);
    compiled.set(schema, validate);
  }
  return validate;
}

export type SpecCheck = { operations: string[]; valid: boolean; errors: string[] };

/**
 * Whether a request matches an operation of the spec: a path template with this method (`/{Version}/{Phone-Number-ID}/messages`),
 * and, when the operation has a body of this content type, a body its schema accepts. Several templates can match one
 * concrete path (`/{Version}/{Phone-Number-ID}` and `/{Version}/{WABA-ID}`): any one accepting it is enough.
 */
export function checkRequest(method: string, pathname: string, contentType: string | null, body: unknown): SpecCheck {
  const { spec } = load();
  const operations: string[] = [];
  const errors: string[] = [];
  let valid = false;
  for (const [template, item] of Object.entries(spec.paths)) {
    const op = item[method.toLowerCase()];
    if (!op || !matches(template, pathname)) continue;
    operations.push(op.operationId ?? `${method} ${template}`);
    const media = contentType ? op.requestBody?.content?.[contentType.split(';')[0]!.trim()] : undefined;
    if (body === undefined) {
      valid ||= !op.requestBody || contentType === null;
      continue;
    }
    if (!media?.schema) {
      errors.push(`${template}: no ${contentType} body in the spec`);
      continue;
    }
    const validate = validatorOf(media.schema);
    if (validate(body)) valid = true;
    else errors.push(`${template}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
  if (operations.length === 0) errors.push(`no operation ${method} ${pathname} in Meta's spec`);
  return { operations, valid: valid && operations.length > 0, errors };
}

/** Whether a response body fits the spec's 200 answer of one of the operations. */
export function checkResponse(method: string, pathname: string, body: unknown): boolean {
  const { spec } = load();
  for (const [template, item] of Object.entries(spec.paths)) {
    const op = item[method.toLowerCase()];
    if (!op || !matches(template, pathname)) continue;
    const schema = op.responses?.['200']?.content?.['application/json']?.schema;
    if (schema && validatorOf(schema)(body)) return true;
  }
  return false;
}

/** The webhook's incoming message types, which Meta's generator named apart from the outgoing ones of the same name. */
const INCOMING_TWINS: Record<string, string> = {
  TextMessage: 'TextMessage_2',
  ReactionMessage: 'ReactionMessage_1',
  AudioMessage: 'AudioMessage_1',
  DocumentMessage: 'DocumentMessage_1',
  ImageMessage: 'ImageMessage_1',
  StickerMessage: 'StickerMessage_1',
  VideoMessage: 'VideoMessage_1',
  LocationMessage: 'LocationMessage_1',
};
const INCOMING = [...Object.values(INCOMING_TWINS), 'MediaMessageProperties', 'ContactSharingMessage', 'UnsupportedMessage', 'ButtonMessage', 'InteractiveMessageReply', 'OrderMessage', 'SystemMessage'];

/**
 * Meta's file (generated) points `IncomingMessage` at the outgoing message types and builds its incoming types on
 * the outgoing base (which requires `to` and `messaging_product`), instead of their twins `TextMessage_2` … and
 * `BaseMessageProperties_1` (`from`, `id`, `timestamp`): as written, none of its own webhook examples is valid.
 * The references are put back where the file meant them; tests/integration/cloud/meta-spec.test.ts shows the
 * file's own examples failing before and passing after.
 */
export function repairIncoming(components: { schemas: Record<string, unknown> }): void {
  const ref = (name: string) => `#/components/schemas/${name}`;
  const incoming = components.schemas.IncomingMessage as { oneOf: { $ref: string }[]; discriminator: { mapping: Record<string, string> } };
  for (const item of incoming.oneOf) item.$ref = ref(INCOMING_TWINS[item.$ref.split('/').pop()!] ?? item.$ref.split('/').pop()!);
  for (const [key, value] of Object.entries(incoming.discriminator.mapping)) incoming.discriminator.mapping[key] = ref(INCOMING_TWINS[value.split('/').pop()!] ?? value.split('/').pop()!);
  for (const name of INCOMING) {
    const schema = components.schemas[name];
    if (schema) components.schemas[name] = JSON.parse(JSON.stringify(schema).replaceAll(`"${ref('BaseMessageProperties')}"`, `"${ref('BaseMessageProperties_1')}"`));
  }
}

type Schema = { required?: string[]; properties?: Record<string, Schema>; enum?: string[]; pattern?: string; anyOf?: unknown[]; allOf?: Schema[] };

/**
 * Where v23's file is behind what Meta documents and the app sends (#36), each with the page it follows:
 * - a template button's `index` is its position 0–9 (the file's own description and example say so; its pattern
 *   `^[2-6, 11-14]$` refuses "0");
 * - copy-code buttons (`sub_type: copy_code`, a `coupon_code` parameter) and media-card carousels (a `carousel`
 *   component of `cards`), from "Send template messages" / "Media card carousel templates";
 * - a message to a business-scoped user id goes in `recipient` instead of `to` ("Business-scoped user IDs",
 *   developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids).
 * tests/integration/cloud/meta-spec.test.ts shows each refused before and accepted after.
 */
export function catchUp2026(components: { schemas: Record<string, unknown> }): void {
  const schemas = components.schemas as Record<string, Schema>;
  const buttonParts = [schemas.TemplateComponent, ...(schemas.ButtonComponent?.allOf ?? [])];
  for (const part of buttonParts) {
    const props = part?.properties;
    if (props?.index?.pattern) props.index.pattern = '^[0-9]$';
    if (props?.sub_type?.enum && !props.sub_type.enum.includes('copy_code')) props.sub_type.enum.push('copy_code');
  }
  const kinds = schemas.TemplateComponent?.properties?.type?.enum;
  if (kinds && !kinds.includes('carousel')) kinds.push('carousel');
  if (schemas.TemplateComponent?.properties) schemas.TemplateComponent.properties.cards = { type: 'array' } as Schema;
  const parameterKinds = schemas.ButtonParameterObject?.properties?.type?.enum;
  if (parameterKinds && !parameterKinds.includes('coupon_code')) parameterKinds.push('coupon_code');
  const base = schemas.BaseMessageProperties;
  if (base?.required && base.properties) {
    base.required = base.required.filter((name) => name !== 'to');
    base.properties.recipient = { type: 'string' } as Schema;
    base.anyOf = [{ required: ['to'] }, { required: ['recipient'] }];
  }
}

/**
 * Meta's file closes message types as `allOf: [BaseMessageProperties, {additionalProperties: false, …}]`, which in
 * JSON Schema refuses the base's own `to` and `messaging_product` (each branch sees only its own properties), so
 * no text message Meta documents would pass. Its intent, "nothing beyond these", is 2020-12's
 * `unevaluatedProperties: false` on the whole: rewritten so, once, in place.
 */
function sealAllOf(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(sealAllOf);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (Array.isArray(schema.allOf)) {
    for (const branch of schema.allOf as Record<string, unknown>[]) {
      if (branch && typeof branch === 'object' && branch.additionalProperties === false) {
        delete branch.additionalProperties;
        schema.unevaluatedProperties = false;
      }
    }
  }
  Object.values(schema).forEach(sealAllOf);
}

function matches(template: string, pathname: string): boolean {
  const pattern = `^${template.split('/').map((part) => (/^\{.+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`;
  return new RegExp(pattern).test(pathname);
}
