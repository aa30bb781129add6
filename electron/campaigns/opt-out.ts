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

/** Our phone for a WhatsApp chat id, when no send tells us: `521` + 10 digits is a Mexican mobile. */
export function phoneFromChatId(chatId: string): string | null {
  const match = /^(\d+)@c\.us$/.exec(chatId);
  if (!match?.[1]) return null;
  const digits = match[1];
  return digits.length === 13 && digits.startsWith('521') ? `+52${digits.slice(3)}` : `+${digits}`;
}
