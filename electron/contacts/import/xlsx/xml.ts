const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text to a string: the five named entities and numeric references (`&#233;`, `&#xE9;`). */
export function xmlText(raw: string): string {
  if (raw.indexOf('&') === -1) return raw;
  return raw.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

/** One attribute's value from a tag's attribute text, or undefined. */
export function attr(attributes: string, name: string): string | undefined {
  const at = attributes.indexOf(` ${name}="`);
  if (at === -1) {
    // Some writers put a newline or a tab before an attribute.
    const match = new RegExp(`\\s${name}="([^"]*)"`).exec(attributes);
    return match ? xmlText(match[1] ?? '') : undefined;
  }
  const start = at + name.length + 3;
  return xmlText(attributes.slice(start, attributes.indexOf('"', start)));
}

/** Every piece of text (`<t>…</t>`) in an element, joined: rich text runs read as one string; phonetic guides skipped. */
export function joinedText(inner: string): string {
  const plain = inner.replace(/<(\w+:)?rPh\b[\s\S]*?<\/(\w+:)?rPh>/g, '');
  let text = '';
  for (const match of plain.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) text += match[1] ?? '';
  return xmlText(text);
}

/**
 * A part's text in pieces that end after a closing `</tag>` (with or without a namespace prefix), so no element is
 * cut between two pieces; the rest of a chunk waits for the next one.
 */
export async function* completeElements(stream: AsyncIterable<unknown>, tag: string): AsyncGenerator<string> {
  const closing = new RegExp(`</(?:\\w+:)?${tag}>`, 'g');
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + (chunk as string);
    let cut = -1;
    // The last closing tag in the text: search from near the end first, where it almost always is.
    for (let from = Math.max(0, text.length - 65_536); cut === -1; from = Math.max(0, from - 1_048_576)) {
      closing.lastIndex = from;
      for (let m = closing.exec(text); m; m = closing.exec(text)) cut = m.index + m[0].length;
      if (from === 0) break;
    }
    if (cut === -1) {
      rest = text;
      continue;
    }
    rest = text.slice(cut);
    yield text.slice(0, cut);
  }
  if (rest.trim() !== '') yield rest;
}
