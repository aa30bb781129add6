import { describe, expect, it } from 'vitest';
import { analyzeMessage, OPT_OUT_LINE, type CheckId } from '../../../electron/messages/checks';

const ids = (body: string) => analyzeMessage(body).checks.map((c) => c.id);
const fix = (body: string, id: CheckId) => analyzeMessage(body).checks.find((c) => c.id === id)?.fixedBody;
const GOOD = `Hola {{nombre}}, te saluda Luis de Panadería La Espiga. {Esta semana|Estos días} tenemos pan de muerto. ${OPT_OUT_LINE}`;

describe('good-practice checks', () => {
  it('a well written message passes every check with a full score', () => {
    expect(analyzeMessage(GOOD)).toEqual({ checks: [], score: 100 });
  });

  it.each<[string, CheckId]>([
    ['Tenemos pan de muerto. Responde CANCELAR para no recibir más.', 'no_personal_field'],
    ['Hola {{nombre}}, tenemos pan de muerto.', 'no_opt_out'],
    ['Hola {{nombre}}, mira https://tienda.mx/promo responde BAJA', 'links'],
    ['Hola {{nombre}}, visita www.mitienda.com responde BAJA', 'links'],
    ['Hola {{nombre}}, compra en panaderia.com.mx responde BAJA', 'links'],
    ['Hola {{nombre}}, tenemos pan de muerto. Responde BAJA', 'no_introduction'],
    ['HOLA {{nombre}}, SOY LUIS. GRAN PROMOCION DE PAN DE MUERTO. RESPONDE BAJA', 'all_caps'],
    ['Hola {{nombre}}, soy Luis!!! Pan de muerto. Responde BAJA', 'many_exclamations'],
    ['Hola {{nombre}}, soy Luis! Pan! Rico! Barato! Responde BAJA', 'many_exclamations'],
    ['Hola {{nombre}}, soy Luis 🎉🎉🥐🥐🔥🔥 Responde BAJA', 'many_emojis'],
    [`Hola {{nombre}}, soy Luis. ${'Pan de muerto recién hecho. '.repeat(30)} Responde BAJA`, 'too_long'],
    ['Te saluda Luis. Pan de muerto. Responde BAJA', 'same_for_everyone'],
  ])('%j fires %s', (body, id) => {
    expect(ids(body)).toContain(id);
  });

  it('a variation alone is enough not to be the same for everyone', () => {
    expect(ids('{Hola|Buen día}, te saluda Luis. Responde BAJA')).not.toContain('same_for_everyone');
    expect(ids('{Hola|Buen día}, te saluda Luis. Responde BAJA')).toContain('no_personal_field');
  });

  it('fixes the missing opt-out line with one click', () => {
    expect(fix('Hola {{nombre}}, pan de muerto.  ', 'no_opt_out')).toBe(`Hola {{nombre}}, pan de muerto.\n\n${OPT_OUT_LINE}`);
    expect(ids(fix('Hola {{nombre}}, pan.', 'no_opt_out') ?? '')).not.toContain('no_opt_out');
  });

  it('suggests {{nombre}} in the greeting, with an empty fallback so nobody sees a gap', () => {
    expect(fix('Hola, pan de muerto.', 'no_personal_field')).toBe('Hola {{nombre|}}, pan de muerto.');
    expect(fix('Pan de muerto.', 'no_personal_field')).toBe('Hola {{nombre|}}, Pan de muerto.');
  });

  it('lowers ALL CAPS to sentence case, and collapses repeated exclamation marks', () => {
    expect(fix('HOLA {{nombre}}. GRAN PROMOCION HOY. RESPONDE BAJA', 'all_caps')).toBe('Hola {{nombre}}. Gran promocion hoy. Responde baja');
    expect(fix('Hola!!! ya llegó!!', 'many_exclamations')).toBe('Hola! ya llegó!');
  });

  it('scores lower the more it breaks', () => {
    expect(analyzeMessage('PROMO!!! www.x.com').score).toBeLessThan(analyzeMessage('Hola {{nombre}}, promo. Responde BAJA').score);
  });

  it('a field in single braces is sent as the word: "¿Quisiste decir {{nombre}}?" with one click (#30 item 7)', () => {
    const fields = ['nombre', 'primer_nombre', 'telefono', 'Ciudad'];
    const body = 'Hola {nombre}, en { ciudad } te saluda Luis. {Hola|Buen día} {{nombre}}. Responde BAJA';
    const check = analyzeMessage(body, fields).checks.find((c) => c.id === 'single_braces');
    expect(check).toMatchObject({ level: 'warning', fixedBody: 'Hola {{nombre}}, en {{ciudad}} te saluda Luis. {Hola|Buen día} {{nombre}}. Responde BAJA' });
    expect(analyzeMessage(check?.fixedBody ?? '', fields).checks.map((c) => c.id)).not.toContain('single_braces');
    // A variation, a word in braces that is no field, and a field's double braces are left as they are.
    expect(analyzeMessage('{Hola|Buen día} {gracias} {{nombre}}, te saluda Luis. Responde BAJA', fields).checks.map((c) => c.id)).not.toContain('single_braces');
  });
});
