import fs from 'node:fs';
import yaml from 'js-yaml';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { checkRequest, componentValidator, META_SPEC_FILE } from '../../helpers/meta-spec';

type Examples = Record<string, { value: unknown }>;

/**
 * The validator the Cloud tests check against is Meta's file, read as Meta meant it: its own webhook examples are
 * valid (they are not, read literally: its incoming types point at the outgoing ones), and requests that differ
 * from Meta's documented ones in a way the API refuses are refused.
 */
describe("Meta's OpenAPI file as the Cloud tests read it", () => {
  const spec = yaml.load(fs.readFileSync(META_SPEC_FILE, 'utf8')) as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { examples: Examples }> } }>>; components: unknown };
  const examples = spec.paths['/whatsapp/webhooks']!.post!.requestBody.content['application/json']!.examples;

  it("accepts the webhook examples of Meta's own file for every kind the app reads, which the literal reading refuses", () => {
    const literal = new Ajv2020({ strict: false, allErrors: true });
    addFormats(literal);
    literal.addSchema({ $id: 'literal', components: spec.components });
    const literalPayload = literal.getSchema('literal#/components/schemas/WebhookPayload')!;
    const repaired = componentValidator('WebhookPayload');
    const names = Object.keys(examples);
    expect(names.length).toBeGreaterThan(10);
    const refusedLiterally = names.filter((name) => !literalPayload(examples[name]!.value));
    expect(refusedLiterally).toContain('Text Message');
    // The kinds the app reads (texts, buttons, replies to lists, media with captions …) all pass; shared contacts,
    // unsupported messages and group events still differ from their own schemas in Meta's file (the app ignores those).
    const ignored = ['Contact Sharing Message', 'Unsupported Message', 'Group Create Message', 'Group Settings Update', 'Group Remove Participants'];
    expect(names.filter((name) => !ignored.includes(name) && !repaired(examples[name]!.value))).toEqual([]);
    expect(names.filter((name) => !ignored.includes(name)).length).toBe(11);
  });

  it("accepts Meta's documented sends and refuses a template without its language, or a text with a field it does not have", () => {
    const sends = spec.paths['/{Version}/{Phone-Number-ID}/messages']!.post!.requestBody.content['application/json']!.examples;
    const template = sends['Send Message Template Text']?.value as Record<string, unknown>;
    const text = sends['Send Text Message']?.value as Record<string, unknown>;
    expect(checkRequest('POST', '/v23.0/106540352242922/messages', 'application/json', text).valid).toBe(true);
    expect(checkRequest('POST', '/v23.0/106540352242922/messages', 'application/json', { ...text, text: { body: 'hola', bold: true } }).valid).toBe(false);
    expect(checkRequest('POST', '/v23.0/106540352242922/messages', 'application/json', { ...text, colour: 'red' }).valid).toBe(false);
    const withoutLanguage = { ...template, template: { name: 'promo' } };
    expect(checkRequest('POST', '/v23.0/106540352242922/messages', 'application/json', withoutLanguage).valid).toBe(false);
    expect(checkRequest('DELETE', '/v23.0/106540352242922/messages', null, undefined).valid).toBe(false);
  });
});
