import { seededRandom, type Random } from '../core/random';
import { hash } from '../core/hash';
import { BUILTIN_FIELDS } from '../../shared/messages';

/** What a template is made of: text, contact fields `{{Ciudad|fallback}}`, and variations `{Hola|Buen día}`. */
export type Node =
  | { kind: 'text'; value: string }
  | { kind: 'field'; name: string; fallback: string | null; at: number }
  | { kind: 'spin'; options: Node[][]; at: number };

export type TemplateErrorCode = 'unclosed_field' | 'unclosed_variation' | 'unexpected_close' | 'empty_field' | 'unknown_field' | 'empty_result';
/** An error the editor shows at its place: 0-based offset, 1-based line and column. */
export type TemplateError = { code: TemplateErrorCode; at: number; line: number; column: number; detail?: string };

/** Fields every contact has, besides the custom ones from imports (the contract's list, the UI's too). */
export { BUILTIN_FIELDS };

export function fieldKey(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function position(source: string, at: number): { line: number; column: number } {
  const before = source.slice(0, at).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

function error(source: string, code: TemplateErrorCode, at: number, detail?: string): TemplateError {
  return { code, at, ...position(source, at), ...(detail === undefined ? {} : { detail }) };
}

/**
 * Parses a template. `\{`, `\}` and `\|` write the character itself. Unknown fields are errors when the known
 * field names are given (the editor passes them; sending re-checks per contact).
 */
export function parseTemplate(source: string, knownFields?: readonly string[]): { nodes: Node[]; errors: TemplateError[] } {
  const errors: TemplateError[] = [];
  const known = knownFields ? new Set([...BUILTIN_FIELDS, ...knownFields].map(fieldKey)) : undefined;
  let i = 0;

  // Reads nodes until `}` (inside a variation) or `|` at this level, or the end.
  function sequence(insideSpin: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (i < source.length) {
      const ch = source[i] as string;
      if (ch === '\\' && i + 1 < source.length && '{}|'.includes(source[i + 1] as string)) {
        text += source[i + 1];
        i += 2;
      } else if (source.startsWith('{{', i)) {
        flush();
        nodes.push(field());
      } else if (ch === '{') {
        flush();
        nodes.push(spin());
      } else if (ch === '}' || ch === '|') {
        if (insideSpin) break;
        if (ch === '}') errors.push(error(source, 'unexpected_close', i));
        text += ch;
        i += 1;
      } else {
        text += ch;
        i += 1;
      }
    }
    flush();
    return nodes;
  }

  function field(): Node {
    const at = i;
    const end = source.indexOf('}}', i + 2);
    const newline = source.indexOf('\n', i + 2);
    if (end === -1 || (newline !== -1 && newline < end)) {
      errors.push(error(source, 'unclosed_field', at));
      i += 2;
      return { kind: 'text', value: '{{' };
    }
    const inner = source.slice(i + 2, end);
    i = end + 2;
    const bar = inner.indexOf('|');
    const name = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    const fallback = bar === -1 ? null : inner.slice(bar + 1).trim();
    if (!name) errors.push(error(source, 'empty_field', at));
    else if (known && !known.has(fieldKey(name))) errors.push(error(source, 'unknown_field', at, name));
    return { kind: 'field', name, fallback, at };
  }

  function spin(): Node {
    const at = i;
    i += 1;
    const options: Node[][] = [];
    for (;;) {
      options.push(sequence(true));
      if (i >= source.length) {
        errors.push(error(source, 'unclosed_variation', at));
        return { kind: 'spin', options, at };
      }
      const ch = source[i];
      i += 1;
      if (ch === '}') return { kind: 'spin', options, at };
    }
  }

  const nodes = sequence(false);
  return { nodes, errors };
}

const HONORIFICS = new Set(['sr', 'sra', 'srta', 'lic', 'licda', 'dr', 'dra', 'ing', 'mtro', 'mtra', 'prof', 'profa', 'don', 'doña', 'arq', 'c.p', 'cp']);

/**
 * The name people greet with: "José Pérez García" → "José", "Lic. Ana Ruiz" → "Ana", "PÉREZ, JOSÉ" → "José".
 * Compound first names ("María José") cannot be told from a surname, so only the first word is taken.
 */
export function firstName(name: string | null): string {
  if (!name) return '';
  const trimmed = name.trim();
  const given = trimmed.includes(',') ? trimmed.slice(trimmed.indexOf(',') + 1) : trimmed;
  const words = given.split(/\s+/).filter((w) => w !== '' && !HONORIFICS.has(w.toLowerCase().replace(/\.$/, '')));
  const word = (words[0] ?? '').replace(/^["'“(]+|["'”),.;:]+$/g, '');
  // A name typed in capitals reads as shouting in a greeting: "JOSÉ" → "José".
  return word === word.toUpperCase() && word.length > 1 ? word.charAt(0) + word.slice(1).toLocaleLowerCase('es') : word;
}

export type RenderContact = { id: number; name: string | null; phone: string; fields: Record<string, string> };
export type Rendered = { text: string; missing: string[] };

function fieldValue(name: string, contact: RenderContact): string {
  const key = fieldKey(name);
  if (key === 'nombre') return contact.name?.trim() ?? '';
  if (key === 'primer_nombre') return firstName(contact.name);
  if (key === 'telefono') return contact.phone;
  for (const [k, v] of Object.entries(contact.fields)) if (fieldKey(k) === key) return v.trim();
  return '';
}

/** Renders parsed nodes for one contact; fields that are empty and have no fallback are listed in `missing`. */
export function renderNodes(nodes: Node[], contact: RenderContact, random: Random): Rendered {
  const missing: string[] = [];
  const walk = (list: Node[]): string =>
    list
      .map((node) => {
        if (node.kind === 'text') return node.value;
        if (node.kind === 'spin') return walk(random.pick(node.options));
        const value = fieldValue(node.name, contact);
        if (value) return value;
        if (node.fallback !== null) return node.fallback;
        if (!missing.includes(node.name)) missing.push(node.name);
        return '';
      })
      .join('');
  return { text: walk(nodes), missing };
}

/** A contact's random is fixed by the seed and the contact, so its text is the same every time it is rendered. */
export function contactRandom(seed: number, contactId: number): Random {
  return seededRandom(hash(`${seed}:${contactId}`));
}

/** Parse + render for one contact, with the empty-result check. */
export function renderTemplate(source: string, contact: RenderContact, seed: number): Rendered & { errors: TemplateError[] } {
  const { nodes, errors } = parseTemplate(source);
  const rendered = renderNodes(nodes, contact, contactRandom(seed, contact.id));
  if (errors.length === 0 && rendered.text.trim() === '') errors.push(error(source, 'empty_result', 0));
  return { ...rendered, errors };
}

/** Whether a template says something different to different people: a field or a real variation. */
export function isPersonal(nodes: Node[]): { hasField: boolean; hasVariation: boolean } {
  let hasField = false;
  let hasVariation = false;
  const walk = (list: Node[]) => {
    for (const node of list) {
      if (node.kind === 'field') hasField = true;
      if (node.kind === 'spin') {
        if (node.options.length > 1) hasVariation = true;
        node.options.forEach(walk);
      }
    }
  };
  walk(nodes);
  return { hasField, hasVariation };
}
