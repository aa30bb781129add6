/**
 * A name as search compares it: lower case, without accents ("José Pérez" → "jose perez"), so "maria", "MARÍA" and
 * "María" find the same contacts. Stored beside each name (contacts.name_key) and applied to what the user types.
 */
export function searchKey(text: string | null | undefined): string {
  if (!text) return '';
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}
