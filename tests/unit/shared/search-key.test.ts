import { describe, expect, it } from 'vitest';
import { searchKey } from '../../../shared/search-key';

/** What the key must always equal: the full Unicode fold. */
const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

describe('search keys (names folded for search; a million of them per large import)', () => {
  it('folds accents and case the way users type names', () => {
    expect(searchKey('José Pérez')).toBe('jose perez');
    expect(searchKey('MARÍA ÑÚÑEZ')).toBe('maria nunez');
    expect(searchKey('maría')).toBe(searchKey('MARIA'));
    expect(searchKey('ana lópez 2')).toBe('ana lopez 2');
    expect(searchKey('')).toBe('');
    expect(searchKey(null)).toBe('');
  });

  it('gives the full fold for every Latin character, alone and in names, and for text beyond the table', () => {
    for (let code = 0; code < 0x250; code++) {
      const ch = String.fromCharCode(code);
      expect(searchKey(`a${ch}B`), `U+${code.toString(16)}`).toBe(fold(`a${ch}B`));
    }
    // Beyond the table: a combining accent typed apart, Greek (final sigma depends on its place), Cyrillic, emoji.
    for (const text of ['Jose\u0301 Pe\u0301rez', 'ΟΔΥΣΣΕΥΣ', 'Ирина', 'Ana 🌸 Ruiz', 'İstanbul Çelik', 'Straße ǅemal']) {
      expect(searchKey(text), text).toBe(fold(text));
    }
  });
});
