import fs from 'node:fs';
import path from 'node:path';

/** Source files by their path from the repository's root (`electron/campaigns/engine.ts` → its text). */
export type Sources = Map<string, string>;

export function readSources(root: string, folder: string): Sources {
  const sources: Sources = new Map();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.tsx?$/.test(entry.name)) sources.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
    }
  };
  walk(folder);
  return sources;
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]*|\.{1,2})['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/gm;

/** The domain a file belongs to: its first folder under `electron/` (`campaigns`), or the file itself at the root. */
function domainOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1]! : file;
}

/** Which file an import names: `x.ts`, `x.tsx` or `x/index.ts`, among the sources. */
function target(from: string, spec: string, sources: Sources): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) if (sources.has(candidate)) return candidate;
  return null;
}

/** Circles between single files (inside a domain as well as across): each file its own group. */
export function fileCircles(sources: Sources): { domains: string[]; edges: string[] }[] {
  return domainCircles(sources, (file) => file);
}

/**
 * Circles between the domains of `electron/` (type-only imports count: a domain that names another's types depends on
 * it), each as the domains on it and one import that closes it: Tarjan's strongly connected components.
 */
export function domainCircles(sources: Sources, groupOf: (file: string) => string = domainOf): { domains: string[]; edges: string[] }[] {
  const graph = new Map<string, Map<string, string>>();
  for (const [file, text] of sources) {
    for (const match of text.matchAll(IMPORT)) {
      const to = target(file, (match[1] ?? match[2])!, sources);
      if (!to) continue;
      const [a, b] = [groupOf(file), groupOf(to)];
      if (a === b) continue;
      if (!graph.has(a)) graph.set(a, new Map());
      if (!graph.get(a)!.has(b)) graph.get(a)!.set(b, `${file} → ${to}`);
    }
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: { domains: string[]; edges: string[] }[] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) component.push(w);
      if (component.length > 1) {
        const members = new Set(component);
        const edges = component.flatMap((a) => [...(graph.get(a) ?? [])].filter(([b]) => members.has(b)).map(([, how]) => how));
        circles.push({ domains: component.sort(), edges });
      }
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return circles;
}
