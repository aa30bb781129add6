import { describe, expect, it } from 'vitest';
import { PhoneFirstRows } from '../../../electron/contacts/import/phone-set';

describe('PhoneFirstRows', () => {
  it('answers the first row of a phone seen before, and remembers new ones', () => {
    const seen = new PhoneFirstRows();
    expect(seen.firstOrAdd('+525512345678', 2)).toBeUndefined();
    expect(seen.firstOrAdd('+14155550100', 3)).toBeUndefined();
    expect(seen.firstOrAdd('+525512345678', 7)).toBe(2);
    expect(seen.firstOrAdd('+525512345678', 9)).toBe(2);
    // Same digits after a different country code are another phone.
    expect(seen.firstOrAdd('+15512345678', 10)).toBeUndefined();
  });

  it('grows past its first size and loses nothing (a million-row file starts from a small table)', () => {
    const seen = new PhoneFirstRows(16);
    const phone = (i: number) => `+52${String(5510000000 + ((i * 7919) % 89_999_999))}`;
    let repeated = 0;
    for (let i = 0; i < 200_000; i++) if (seen.firstOrAdd(phone(i), i + 2) !== undefined) repeated += 1;
    expect(repeated).toBe(0);
    for (let i = 0; i < 200_000; i += 997) expect(seen.firstOrAdd(phone(i), 0)).toBe(i + 2);
  });
});
