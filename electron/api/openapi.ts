import { z } from 'zod';
import { commands, type CommandName } from '../../shared/contract';
import { ApiErrorSchema } from '../../shared/errors';
import { SEND_SCOPE } from './api-keys';

type Json = Record<string, unknown>;

/** One schema in OpenAPI 3.1's dialect (JSON Schema 2020-12), without the `$schema` line each would repeat. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
}

const TAGS: Record<string, string> = {
  messages: 'Mensajes',
  apiKeys: 'Claves de API',
  webhooks: 'Webhooks',
};

/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the zod contract: every command is `POST /api/<name>`
 * with its input as the JSON body and `{ok, value}` or `{ok: false, error}` as the answer. Deterministic (same
 * contract, same bytes), so the committed docs/openapi.json can be compared with what the server serves.
 */
export function openApiDocument(version: string): Json {
  const paths: Json = {};
  const error = schemaOf(ApiErrorSchema, 'output');
  const failure = { type: 'object', properties: { ok: { const: false }, error }, required: ['ok', 'error'], additionalProperties: false };
  for (const name of (Object.keys(commands) as CommandName[]).sort()) {
    const spec = commands[name];
    const group = name.split('.')[0]!;
    const ok = { type: 'object', properties: { ok: { const: true }, value: schemaOf(spec.output, 'output') }, required: ['ok', 'value'], additionalProperties: false };
    const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Failure' } } } });
    paths[`/api/${name}`] = {
      post: {
        operationId: name.replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase()),
        summary: spec.doc.split('. ')[0],
        description: `${spec.doc}${SEND_SCOPE.has(name) ? '\n\nAllowed to keys of scope `send`.' : '\n\nNeeds a key of scope `all` (or the app\'s own token).'}`,
        tags: [TAGS[group] ?? group],
        requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.input, 'input') } } },
        responses: {
          '200': { description: 'Done: the command\'s answer is in `value`.', content: { 'application/json': { schema: ok } } },
          '400': errorResponse('invalid_input: the body is not valid JSON or does not match the schema (`error.field` says where).'),
          '401': errorResponse('unauthorized: no key, an unknown key or a revoked one.'),
          '403': errorResponse('forbidden: this key\'s scope does not allow the command.'),
          '404': errorResponse('not_found or unknown_command.'),
          '422': errorResponse('The command was refused for a reason of the app (`error.code`: opted_out, idempotency_conflict, …); nothing was done.'),
          '500': errorResponse('internal: an error of the app (it is in its logs).'),
          '507': errorResponse('disk_full: the disk of the data folder is full; nothing was written.'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'WhatzMe Desktop API',
      version,
      description:
        'La API de WhatzMe Desktop en tu computadora: envía mensajes de WhatsApp desde tus sistemas con tu propio número, consulta su estado y recibe webhooks. / The WhatzMe Desktop API on your own computer. Authenticate with an API key made in Settings → Automation (`Authorization: Bearer wzm_…`).',
    },
    servers: [{ url: 'http://127.0.0.1:{port}', variables: { port: { default: '4780', description: 'The port the app prints when it starts (web mode) or shows in Settings.' } } }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from Settings → Automation (wzm_…), or the app\'s per-run token.' } },
      schemas: { Failure: failure },
    },
    paths,
  };
}
