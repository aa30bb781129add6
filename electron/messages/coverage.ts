import type { Db } from '../db';
import { fieldKey, type Node } from './template';

/** The fields a message needs from each contact: used without a fallback (`{{Ciudad}}`, not `{{Ciudad|tu ciudad}}`). */
export function neededFields(nodes: Node[]): string[] {
  const out: string[] = [];
  const walk = (list: Node[]) => {
    for (const node of list) {
      if (node.kind === 'field' && node.fallback === null && !out.some((f) => fieldKey(f) === fieldKey(node.name))) out.push(node.name);
      if (node.kind === 'spin') for (const option of node.options) walk(option);
    }
  };
  walk(nodes);
  return out;
}

/**
 * SQL that is true when contact `c` has no value for `field`: the name for {{nombre}} and {{primer_nombre}}, the
 * contact's stored field of that name (matched as the template matches it: case and accents aside) otherwise.
 */
export function lacksSql(field: string, knownFields: string[]): { sql: string; params: string[] } {
  const key = fieldKey(field);
  if (key === 'nombre' || key === 'primer_nombre') return { sql: "trim(coalesce(c.name, '')) = ''", params: [] };
  if (key === 'telefono') return { sql: '0', params: [] };
  const stored = knownFields.find((f) => fieldKey(f) === key);
  if (!stored) return { sql: '1', params: [] };
  return { sql: "trim(coalesce(json_extract(c.fields, ?), '')) = ''", params: [`$."${stored.replace(/["\\]/g, (ch) => `\\${ch}`)}"`] };
}

/**
 * Of the contacts of an audience (a condition over `contacts c` with named parameters; none: every contact) who may
 * receive it (not opted out): how many, and how many lack each needed field.
 */
export function fieldCoverage(db: Db, audience: Audience | null, fields: string[], knownFields: string[]): { total: number; missing: { field: string; count: number }[] } {
  const checks = fields.map((f) => lacksSql(f, knownFields));
  const row = db
    .prepare(
      `SELECT COUNT(*) AS total${checks.map((c, i) => `, COALESCE(SUM(CASE WHEN ${c.sql} THEN 1 ELSE 0 END), 0) AS m${i}`).join('')}
       FROM contacts c
       WHERE NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = c.phone)
         ${audience ? `AND ${audience.sql}` : ''}`,
    )
    .get(...checks.flatMap((c) => c.params), audience?.params ?? {}) as Record<string, number>;
  return { total: row.total ?? 0, missing: fields.map((field, i) => ({ field, count: row[`m${i}`] ?? 0 })).filter((m) => m.count > 0) };
}

/** Whom a preview samples: a condition over `contacts c` and its named parameters. */
export type Audience = { sql: string; params: Record<string, unknown> };
