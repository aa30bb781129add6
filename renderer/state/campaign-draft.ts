/** Where the campaign wizard keeps the campaign being written, in this browser, until it is launched or discarded. */
export const DRAFT_KEY = 'whatzme:campaign-draft';

/** The wizard's draft as stored (the wizard knows its full shape; the Campañas list reads its name and date). */
export function readDraft<T extends object = { name?: string; savedAt?: number }>(): T | null {
  try {
    const text = localStorage.getItem(DRAFT_KEY);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export function discardDraft(): void {
  try {
    localStorage.removeItem(DRAFT_KEY);
  } catch {
    // storage off: there is no draft to discard
  }
}
