import fs from 'node:fs';
import yaml from 'js-yaml';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { catchUp2026, checkRequest, componentValidator, META_SPEC_FILE } from '../../helpers/meta-spec';

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

  it('takes what Meta documents beyond v23 — button index 0, copy-code buttons, carousels, a send to a BSUID — and still refuses a send with no one to send to', () => {
    const send = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '525512345678',
      type: 'template',
      template: {
        name: 'pan_dulce',
        language: { policy: 'deterministic', code: 'es_MX' },
        components: [
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'jose' }] },
          { type: 'button', sub_type: 'copy_code', index: '1', parameters: [{ type: 'coupon_code', coupon_code: 'PAN20' }] },
          { type: 'carousel', cards: [{ card_index: 0, components: [{ type: 'header', parameters: [{ type: 'image', image: { id: '1' } }] }] }] },
        ],
      },
    };
    // Read literally, v23's file refuses each of them.
    const literal = new Ajv2020({ strict: false, allErrors: true });
    addFormats(literal);
    const components = JSON.parse(JSON.stringify(spec.components)) as { schemas: Record<string, unknown> };
    literal.addSchema({ $id: 'literal', components });
    const literalTemplate = literal.getSchema('literal#/components/schemas/TemplateMessage')!;
    expect(literalTemplate(send)).toBe(false);
    expect(literalTemplate({ ...send, template: { ...send.template, components: [send.template.components[0]] } })).toBe(false);
    // Caught up with Meta's pages: accepted, to a phone or to a BSUID, never to no one.
    catchUp2026(components);
    const caughtUp = new Ajv2020({ strict: false, allErrors: true });
    addFormats(caughtUp);
    caughtUp.addSchema({ $id: 'caught', components });
    const template = caughtUp.getSchema('caught#/components/schemas/TemplateMessage')!;
    expect(template(send)).toBe(true);
    const { to: _to, ...toNobody } = send;
    expect(template({ ...toNobody, recipient: 'MX.1502576394655843' })).toBe(true);
    expect(template(toNobody)).toBe(false);
    expect(template({ ...send, template: { ...send.template, components: [{ type: 'button', sub_type: 'call', index: '0', parameters: [{ type: 'text', text: 'x' }] }] } })).toBe(false);
    expect(checkRequest('POST', '/v23.0/106540352242922/messages', 'application/json', { ...toNobody, recipient: 'MX.1502576394655843' }).valid).toBe(true);
  });
});
