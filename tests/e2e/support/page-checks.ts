import type { Page } from 'playwright-core';
import en from '../../../renderer/i18n/en.json';
import es from '../../../renderer/i18n/es.json';

type Table = { [key: string]: string | Table };

function leaves(table: Table, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/**
 * Phrases only the other language has: the text of every i18n entry that differs between the two files, cut at
 * its placeholders, kept when a piece still has three words or more (short words like "Audio" or "Email" are the
 * same in both and prove nothing).
 */
function phrasesOf(language: 'es' | 'en'): string[] {
  const mine = leaves((language === 'es' ? es : en) as Table);
  const other = leaves((language === 'es' ? en : es) as Table);
  const ownText = [...mine.values()].join('\n');
  const phrases = new Set<string>();
  for (const [key, text] of other) {
    if (mine.get(key) === text) continue;
    for (const piece of text.split(/\{[^}]*\}|[«»"():;.!?¿¡…·]/)) {
      const trimmed = piece.trim();
      if (trimmed.split(/\s+/).length >= 3 && !ownText.includes(trimmed)) phrases.add(trimmed);
    }
  }
  return [...phrases];
}

const foreign = { es: phrasesOf('es'), en: phrasesOf('en') };

/** What a user should never see: the contract's error codes, JSON, stack traces, i18n keys. */
const RAW = [
  /\{\s*"(ok|error|code)"/,
  /\b(invalid_input|not_found|illegal_transition|unknown_command|payload_too_large|internal error|unauthorized|undefined|NaN|\[object Object\])\b/,
  /\b(TypeError|RangeError|SyntaxError|Error): /,
  /\b(common|nav|app|numbers|contacts|import|messages|campaigns|report|inbox|settings|errors|dashboard|health|api|toast|updates|cloud)\.[a-z][\w]*\.[\w.]+\b/,
];

export type PageProblems = { overflow: string[]; foreign: string[]; raw: string[] };

/**
 * Looks at the page as a user would: nothing wider than the window (the page, or any card or panel cut inside
 * its box), no text in the other language, no raw error. Returns what it found, empty when all is well.
 */
export async function pageProblems(page: Page, language: 'es' | 'en' = 'es'): Promise<PageProblems> {
  const overflow = await page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`page: ${root.scrollWidth} > ${root.clientWidth}`);
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}.${[...el.classList].join('.')}`;
    for (const el of document.querySelectorAll('.card, .page, .content, .sidebar, section, form, .field, .figure, .wizard-body, aside, nav')) {
      const style = getComputedStyle(el);
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') continue; // meant to scroll (wide tables)
      if (el.scrollWidth > el.clientWidth + 1) found.push(`${describe(el)}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    // Children sticking out of their box to the right (cut or over the next column).
    for (const el of document.querySelectorAll('.card input, .card select, .card textarea, .card button, .card label')) {
      const card = el.closest('.card');
      if (!card) continue;
      const box = card.getBoundingClientRect();
      const own = el.getBoundingClientRect();
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      if (own.width > 0 && own.right > box.right + 1) found.push(`${describe(el)} sticks out of ${describe(card)} by ${Math.round(own.right - box.right)} px`);
    }
    // Labels and controls drawn over one another (a label that does not hold its control).
    const parts = [...document.querySelectorAll('.card label, .card input, .card select, .card textarea, .card button')].filter((el) => {
      const r = el.getBoundingClientRect();
      // Inside a closed <details> or hidden: not drawn, cannot overlap.
      return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true }) && (el as HTMLInputElement).type !== 'checkbox' && (el as HTMLInputElement).type !== 'radio';
    });
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        const a = parts[i] as Element;
        const b = parts[j] as Element;
        if (a.contains(b) || b.contains(a)) continue;
        const ra = a.getBoundingClientRect();
        const rb = b.getBoundingClientRect();
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 2 && y > 2) found.push(`${describe(a)} overlaps ${describe(b)}`);
      }
    }
    return found;
  });
  const text = await page.locator('body').innerText();
  return {
    overflow,
    foreign: foreign[language].filter((phrase) => text.includes(phrase)),
    raw: RAW.flatMap((pattern) => {
      const match = pattern.exec(text);
      return match ? [match[0]] : [];
    }),
  };
}
