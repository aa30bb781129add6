/** A reply is an opt-out when its whole text, trimmed, lower-cased, without accents or punctuation, is a word. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function isOptOut(text: string, words: readonly string[]): boolean {
  const reply = normalizeReply(text);
  return reply !== '' && words.some((word) => normalizeReply(word) === reply);
}
