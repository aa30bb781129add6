/** The full fold: decompose, drop the combining accents, lower-case. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Code points below this are folded from a table (ASCII, Latin-1 and Latin Extended-A/B: Spanish names). */
const TABLE_END = 0x250;

/**
 * Each such character's fold, computed with `fold` itself, so the table cannot disagree with it. Folding those
 * characters one by one gives what folding the whole text does: their decompositions are base letter + marks
 * that are dropped, and their lower case does not depend on the letters around them.
 */
const FOLDED: readonly string[] = Array.from({ length: TABLE_END }, (_, code) => fold(String.fromCharCode(code)));

/**
 * A name as search compares it: lower case, without accents ("José Pérez" → "jose perez"), so "maria", "MARÍA" and
 * "María" find the same contacts. Stored beside each name (contacts.name_key) and applied to what the user types.
 * An import of a million names computes it a million times: names in Latin letters are lower-cased and take the
 * table for their accented letters, the rest the full fold.
 */
export function searchKey(text: string | null | undefined): string {
  if (!text) return '';
  const lower = text.toLowerCase();
  let out = '';
  let from = 0; // start of the run of ASCII not yet copied to `out`
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code < 0x80) continue;
    if (code >= TABLE_END) return fold(text);
    out += lower.slice(from, i) + FOLDED[code];
    from = i + 1;
  }
  // All ASCII (most names): the lower-cased text itself.
  return from === 0 ? lower : out + lower.slice(from);
}
