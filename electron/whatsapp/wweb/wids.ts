/**
 * Our phone (E.164) for a WhatsApp user id (`…@c.us`, or a bare number): WhatsApp ids of Mexican mobiles still
 * carry the old `1` after 52 (`521…`), which our contacts never have (`+52…`). A LID (`…@lid`) is no phone.
 */
export function phoneOfWid(wid: string): string | null {
  const match = /^(\d+)(?:@(?:c\.us|s\.whatsapp\.net))?$/.exec(wid);
  if (!match?.[1]) return null;
  const digits = match[1];
  return digits.length === 13 && digits.startsWith('521') ? `+52${digits.slice(3)}` : `+${digits}`;
}
