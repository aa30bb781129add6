import { fieldKey, isPersonal, parseTemplate } from './template';

/** The good practices that keep numbers from being blocked; each check says why, some offer a one-click fix. */
export type CheckId =
  | 'no_personal_field'
  | 'no_opt_out'
  | 'links'
  | 'no_introduction'
  | 'all_caps'
  | 'many_exclamations'
  | 'many_emojis'
  | 'too_long'
  | 'same_for_everyone'
  | 'single_braces';

export type Check = { id: CheckId; level: 'warning' | 'tip'; fixedBody: string | null };
export type Analysis = { checks: Check[]; score: number };

export const OPT_OUT_LINE = 'Si no deseas recibir más mensajes, responde CANCELAR';
const OPT_OUT_WORDS = /\b(cancelar|baja|stop|alto|detener|unsubscribe)\b/i;
const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:com|mx|net|org|shop|store|ly|link|info|biz|co)(?:\/\S*)?\b/i;
const INTRODUCTION = /\b(soy|te saluda|le saluda|les saluda|habla|mi nombre es|te escribe|le escribe|somos)\s+\p{L}/iu;
const EMOJI = /\p{Extended_Pictographic}/gu;
const LONG_TEXT = 700;
const WEIGHT: Record<CheckId, number> = {
  no_personal_field: 15,
  no_opt_out: 20,
  links: 10,
  no_introduction: 10,
  all_caps: 10,
  many_exclamations: 5,
  many_emojis: 5,
  too_long: 10,
  same_for_everyone: 15,
  single_braces: 15,
};

/** `{nombre}`: one brace each side around a field's name, which WhatsApp would get as the word itself. */
const SINGLE_BRACES = /(?<!\{)\{\s*([^{}|]+?)\s*\}(?!\})/g;

/** Grades a message body; nothing here blocks sending (only render errors do). `fields`: the names a contact has. */
export function analyzeMessage(body: string, fields: readonly string[] = ['nombre', 'primer_nombre', 'telefono']): Analysis {
  const { nodes } = parseTemplate(body);
  const { hasField, hasVariation } = isPersonal(nodes);
  const letters = body.replace(/\{\{[^}]*\}\}/g, '').replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  const checks: Check[] = [];
  const add = (id: CheckId, level: Check['level'], fixedBody: string | null = null) => checks.push({ id, level, fixedBody });

  if (!hasField) add('no_personal_field', 'warning', addGreeting(body));
  if (!OPT_OUT_WORDS.test(body)) add('no_opt_out', 'warning', `${body.trimEnd()}\n\n${OPT_OUT_LINE}`);
  if (LINK.test(body)) add('links', 'warning');
  if (!INTRODUCTION.test(body)) add('no_introduction', 'tip');
  if (letters.length >= 20 && upper / letters.length > 0.6) add('all_caps', 'warning', body.toLocaleLowerCase('es-MX').replace(/(^|[.!?¡¿]\s*)(\p{L})/gu, (_, p: string, c: string) => p + c.toLocaleUpperCase('es-MX')));
  if ((body.match(/!/g) ?? []).length >= 4 || /!{2,}/.test(body)) add('many_exclamations', 'tip', body.replace(/!{2,}/g, '!'));
  if ((body.match(EMOJI) ?? []).length > 5) add('many_emojis', 'tip');
  if (body.length > LONG_TEXT) add('too_long', 'tip');
  if (!hasField && !hasVariation) add('same_for_everyone', 'warning');
  // "¿Quisiste decir {{nombre}}?" (#30 item 7): a field's name in single braces is sent as the word; one click fixes it.
  const keys = new Set(fields.map(fieldKey));
  if ([...body.matchAll(SINGLE_BRACES)].some((m) => keys.has(fieldKey(m[1] ?? '')))) {
    add('single_braces', 'warning', body.replace(SINGLE_BRACES, (whole, name: string) => (keys.has(fieldKey(name)) ? `{{${name}}}` : whole)));
  }
  const score = Math.max(0, 100 - checks.reduce((sum, c) => sum + WEIGHT[c.id], 0));
  return { checks, score };
}

/** "Hola {{nombre}}, " before the text, unless it already opens with a greeting we can personalise. */
function addGreeting(body: string): string {
  const greeting = /^(\s*)(hola|buen(?:os)? d[ií]as?|buenas tardes|buenas noches|qu[eé] tal)\b/i.exec(body);
  if (greeting) return `${body.slice(0, greeting[0].length)} {{nombre|}}${body.slice(greeting[0].length)}`;
  return `Hola {{nombre|}}, ${body.trimStart()}`;
}
