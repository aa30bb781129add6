import path from 'node:path/posix';
import { attr, completeElements, joinedText } from './xml';
import type { ZipReader } from './zip';

export type WorkbookSheet = { name: string; part: string };

/** What reading any sheet needs: the sheets in order, the shared strings, which styles are dates, the date system. */
export type Workbook = { sheets: WorkbookSheet[]; strings: string[]; dateStyles: Set<number>; date1904: boolean };

/** Excel's built-in number formats that show a date or a time. */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

export async function readWorkbook(zip: ZipReader): Promise<Workbook> {
  const workbookPart = (await officeDocument(zip)) ?? 'xl/workbook.xml';
  const workbookXml = await zip.text(workbookPart);
  if (!workbookXml) throw new Error('the workbook has no workbook part');
  const rels = relationships(await zip.text(relsPart(workbookPart)), path.dirname(workbookPart));
  const sheets: WorkbookSheet[] = [];
  for (const match of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*?)\/?>/g)) {
    const attributes = match[1] ?? '';
    const name = attr(attributes, 'name');
    const id = attr(attributes, 'r:id') ?? /\s[\w]+:id="([^"]*)"/.exec(attributes)?.[1];
    const part = id ? rels.get(id) : undefined;
    if (name !== undefined && part && zip.has(part)) sheets.push({ name, part });
  }
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbookXml);
  const stringsPart = [...rels.values()].find((p) => /sharedStrings\d*\.xml$/i.test(p)) ?? 'xl/sharedStrings.xml';
  const stylesPart = [...rels.values()].find((p) => /styles\d*\.xml$/i.test(p)) ?? 'xl/styles.xml';
  return { sheets, strings: await sharedStrings(zip, stringsPart), dateStyles: dateStyles(await zip.text(stylesPart)), date1904 };
}

/** The workbook part named by the package's root relationships (usually xl/workbook.xml). */
async function officeDocument(zip: ZipReader): Promise<string | undefined> {
  const root = await zip.text('_rels/.rels');
  for (const match of root.matchAll(/<(?:\w+:)?Relationship\b([^>]*?)\/?>/g)) {
    const attributes = match[1] ?? '';
    if (/officeDocument$/.test(attr(attributes, 'Type') ?? '')) return (attr(attributes, 'Target') ?? '').replace(/^\/+/, '');
  }
  return undefined;
}

function relsPart(part: string): string {
  return path.join(path.dirname(part), '_rels', `${path.basename(part)}.rels`);
}

function relationships(xml: string, base: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const match of xml.matchAll(/<(?:\w+:)?Relationship\b([^>]*?)\/?>/g)) {
    const attributes = match[1] ?? '';
    const id = attr(attributes, 'Id');
    const target = attr(attributes, 'Target');
    if (!id || !target) continue;
    map.set(id, target.startsWith('/') ? target.slice(1) : path.normalize(path.join(base, target)));
  }
  return map;
}

/** The shared strings, streamed: a 100k-row workbook has hundreds of thousands of them. */
async function sharedStrings(zip: ZipReader, part: string): Promise<string[]> {
  const strings: string[] = [];
  if (!zip.has(part)) return strings;
  for await (const whole of completeElements(await zip.stream(part), 'si')) {
    for (const match of whole.matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g)) strings.push(joinedText(match[1] ?? ''));
  }
  return strings;
}

/** The cell styles (cellXfs, by index) whose number format shows a date. */
function dateStyles(xml: string): Set<number> {
  const custom = new Map<number, string>();
  for (const match of xml.matchAll(/<(?:\w+:)?numFmt\b([^>]*?)\/?>/g)) {
    const attributes = match[1] ?? '';
    custom.set(Number(attr(attributes, 'numFmtId')), attr(attributes, 'formatCode') ?? '');
  }
  const dates = new Set<number>();
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  let index = 0;
  for (const match of xfs.matchAll(/<(?:\w+:)?xf\b([^>]*?)(?:\/>|>)/g)) {
    const id = Number(attr(match[1] ?? '', 'numFmtId') ?? 0);
    const code = custom.get(id);
    if (code !== undefined ? isDateFormat(code) : BUILT_IN_DATES.has(id)) dates.add(index);
    index += 1;
  }
  return dates;
}

/** A format code shows a date when, outside quotes, brackets and escapes, it has d, m or y (a time alone is no date). */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dy]/i.test(bare) || (/m/i.test(bare) && !/h|s/i.test(bare));
}
