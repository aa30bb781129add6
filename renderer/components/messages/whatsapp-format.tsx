import { Fragment, type ReactNode } from 'react';

/** WhatsApp's markers, outermost first: ```mono```, *bold*, _italic_, ~strike~. */
const MARKERS: { open: string; tag: 'code' | 'strong' | 'em' | 's' }[] = [
  { open: '```', tag: 'code' },
  { open: '*', tag: 'strong' },
  { open: '_', tag: 'em' },
  { open: '~', tag: 's' },
];

/** Text as WhatsApp shows it: the markers become formatting, line breaks stay. */
export function formatWhatsApp(text: string): ReactNode {
  return text.split('\n').map((line, i) => (
    <Fragment key={i}>
      {i > 0 && <br />}
      {formatLine(line)}
    </Fragment>
  ));
}

function formatLine(line: string): ReactNode[] {
  for (const { open, tag } of MARKERS) {
    const start = findOpening(line, open);
    if (start === -1) continue;
    const end = line.indexOf(open, start + open.length + 1);
    if (end === -1) continue;
    const inner = line.slice(start + open.length, end);
    if (inner.trim() === '' || inner !== inner.trim()) continue;
    const Tag = tag;
    return [
      ...formatLine(line.slice(0, start)),
      <Tag key={`${tag}${start}`}>{tag === 'code' ? inner : formatLine(inner)}</Tag>,
      ...formatLine(line.slice(end + open.length)),
    ];
  }
  return line ? [line] : [];
}

/** A marker opens formatting at the start or after a non-word character, as WhatsApp does. */
function findOpening(line: string, marker: string): number {
  let from = 0;
  for (;;) {
    const at = line.indexOf(marker, from);
    if (at === -1) return -1;
    const before = at === 0 ? ' ' : (line[at - 1] ?? ' ');
    if (!/[\p{L}\p{N}]/u.test(before)) return at;
    from = at + 1;
  }
}
