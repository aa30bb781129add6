import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../electron/core/random';
import { firstName, parseTemplate, renderNodes, renderTemplate, type RenderContact } from '../../../electron/messages/template';

const ana: RenderContact = { id: 1, name: 'Ana', phone: '+525512345678', fields: { Ciudad: 'Mérida', 'Fecha de compra': '2024-03-01' } };
const nobody: RenderContact = { id: 2, name: null, phone: '+525511112222', fields: {} };
const render = (source: string, contact = ana, seed = 1) => renderTemplate(source, contact, seed);

describe('fields', () => {
  it('fills {{nombre}} and custom fields, matching names without case or accents', () => {
    expect(render('Hola {{nombre}}, ¿qué tal {{CIUDAD}}? {{ciudád}} {{ fecha de compra }}').text).toBe('Hola Ana, ¿qué tal Mérida? Mérida 2024-03-01');
    expect(render('Tu número: {{teléfono}}').text).toBe('Tu número: +525512345678');
  });

  it('{{primer_nombre}} greets by the first name: honorifics, "Surname, Name" and capitals handled', () => {
    const as = (name: string | null) => render('Hola {{primer_nombre|amigo}}', { ...ana, name }).text;
    expect(as('José Pérez García')).toBe('Hola José');
    expect(as('Lic. Ana Ruiz')).toBe('Hola Ana');
    expect(as('PÉREZ GARCÍA, JOSÉ LUIS')).toBe('Hola José');
    expect(as('Ana "La Güera" Ruiz')).toBe('Hola Ana');
    expect(as('  Sra.   Ñeli  ')).toBe('Hola Ñeli');
    expect(as(null)).toBe('Hola amigo');
    expect(firstName('ÓSCAR')).toBe('Óscar');
  });

  it('uses the fallback when the field is empty, and reports empty fields without one', () => {
    expect(render('Hola {{nombre|cliente}}', nobody)).toMatchObject({ text: 'Hola cliente', missing: [] });
    expect(render('Hola {{nombre}} de {{Ciudad}}', nobody)).toMatchObject({ text: 'Hola  de ', missing: ['nombre', 'Ciudad'] });
  });

  it('refuses unknown fields at edit time, with their position', () => {
    const { errors } = parseTemplate('Hola {{nombre}}\nde {{Colonia}}', ['Ciudad']);
    expect(errors).toEqual([{ code: 'unknown_field', at: 19, line: 2, column: 4, detail: 'Colonia' }]);
    expect(parseTemplate('{{ciudad}} {{NOMBRE}} {{Teléfono}}', ['Ciudad']).errors).toEqual([]);
  });
});

describe('variations', () => {
  it('picks one option per variation from the seeded random, nested allowed', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) seen.add(render('{Hola|Buen {día|dia}|Qué tal} {{nombre}}', ana, seed).text);
    expect([...seen].sort()).toEqual(['Buen dia Ana', 'Buen día Ana', 'Hola Ana', 'Qué tal Ana']);
  });

  it('gives a contact the same text every time (reproducible), and different contacts different texts', () => {
    const source = '{Hola|Buen día|Qué tal|Saludos} {{nombre|amigo}}';
    expect(render(source, ana, 42).text).toBe(render(source, ana, 42).text);
    const texts = new Set(Array.from({ length: 40 }, (_, id) => render(source, { ...nobody, id }, 42).text));
    expect(texts.size).toBeGreaterThan(2);
  });

  it('keeps escaped braces and bars as text, and an option may be empty', () => {
    expect(render('Precio \\{especial\\} \\| {hoy|}', ana, 3).text).toMatch(/^Precio \{especial\} \| (hoy)?$/);
  });
});

describe('errors at edit time, with positions', () => {
  it.each([
    ['Hola {{nombre', 'unclosed_field', 5, 1, 6],
    ['Hola {Ana|Luis', 'unclosed_variation', 5, 1, 6],
    ['Hola }', 'unexpected_close', 5, 1, 6],
    ['a\n\nb {{ }}', 'empty_field', 5, 3, 3],
    ['Hola {{nombre\n}}', 'unclosed_field', 5, 1, 6],
  ])('%j → %s at %i (line %i, column %i)', (source, code, at, line, column) => {
    expect(parseTemplate(source).errors[0]).toMatchObject({ code, at, line, column });
  });

  it('an empty result is an error', () => {
    expect(render('{{nombre}}', nobody).errors).toEqual([{ code: 'empty_result', at: 0, line: 1, column: 1 }]);
    expect(render('   ').errors[0]?.code).toBe('empty_result');
  });
});

describe('WhatsApp formatting', () => {
  it('is kept as the contact will see it', () => {
    expect(render('*Oferta* _solo hoy_ ~antes $200~ ```CODIGO10```').text).toBe('*Oferta* _solo hoy_ ~antes $200~ ```CODIGO10```');
  });

  it('renders with any Random (the engine passes the contact one)', () => {
    const { nodes } = parseTemplate('{a|b}');
    expect(['a', 'b']).toContain(renderNodes(nodes, ana, seededRandom(9)).text);
  });
});
