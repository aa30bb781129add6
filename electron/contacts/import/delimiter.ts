import { parse } from 'csv-parse/sync';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * The separator that splits the first lines into the most columns, most consistently. Parsing is csv-parse's,
 * so separators inside quoted fields do not count.
 */
export function detectDelimiter(sampleText: string): Delimiter {
  // Drop the last line: the sample may have cut it in half.
  const lines = sampleText.split(/\r?\n/);
  const text = lines.slice(0, Math.min(lines.length > 1 ? lines.length - 1 : 1, 60)).join('\n');
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of DELIMITERS) {
    let records: string[][];
    try {
      records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
    } catch {
      continue;
    }
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const record of records) counts.set(record.length, (counts.get(record.length) ?? 0) + 1);
    const [width, howMany] = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [1, 0];
    const score = width > 1 ? (howMany / records.length) * width : 0;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}
