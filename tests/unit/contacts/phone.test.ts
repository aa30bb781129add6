import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../electron/phones/phone';

describe('normalizePhone (Mexico first)', () => {
  it.each([
    ['55 1234 5678', '+525512345678'],
    ['5512345678', '+525512345678'],
    ['55.1234.5678', '+525512345678'],
    ['(55) 1234-5678', '+525512345678'],
    ['044 55 8765 4321', '+525587654321'],
    ['045 33 1111 2222', '+523311112222'],
    ['01 55 2222 3333', '+525522223333'],
    ['+52 1 81 2345 6789', '+528123456789'],
    ['+521 81 2345 6789', '+528123456789'],
    ['5215512345678', '+525512345678'],
    ['525512345678', '+525512345678'],
    ['52 999 123 4567', '+529991234567'],
    ['0052 55 1234 5678', '+525512345678'],
    ['+52 55 1234 5670', '+525512345670'],
    ['(33) 3616-0000', '+523336160000'],
    ['222 123 4567', '+522221234567'],
    ['+1 (415) 734-2290', '+14157342290'],
    ['+34 612 34 56 78', '+34612345678'],
    ['0034 612 34 56 78', '+34612345678'],
    [5512345670, '+525512345670'],
    [528187654321, '+528187654321'],
  ])('%s → %s', (raw, e164) => {
    expect(normalizePhone(raw, 'MX')).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    [null, 'empty'],
    ['12345', 'too_short'],
    ['55-1234-567', 'too_short'],
    ['no tiene', 'not_a_number'],
    ['llamar 55 1234 5678 o 33 1234 5678', 'not_a_number'],
    ['5512345678abc', 'not_a_number'],
    ['5.21551E+12', 'scientific_notation'],
    ['5,21551E+12', 'scientific_notation'],
    ['5.21551e12', 'scientific_notation'],
    [5.21551e12 + 0.5, 'scientific_notation'],
    ['+52 55 1234 5678 9999', 'too_long'],
  ])('refuses %j as %s', (raw, reason) => {
    expect(normalizePhone(raw as string | null, 'MX')).toEqual({ ok: false, reason });
  });

  // #30 item 10: about 4% of a realistic file writes its phones with words around them.
  it.each([
    ['Cel. 55 1234 5678', '+525512345678'],
    ['Tel: 55-1234-5678', '+525512345678'],
    ['WhatsApp: +52 1 55 1234 5678', '+525512345678'],
    ['+52 (33) 1234-5678 ext. 12', '+523312345678'],
    ['55 1234 5678 ext 3', '+525512345678'],
    ['Casa 55 12 34 56 78 x 104', '+525512345678'],
    ['Tel. (55) 1234-5678', '+525512345678'],
    ['55 1234 5678 (casa)', '+525512345678'],
    ['Móvil - 81 2345 6789', '+528123456789'],
  ])('takes the number out of %j, dropping the label and the extension', (raw, e164) => {
    expect(normalizePhone(raw, 'MX')).toEqual({ ok: true, e164 });
  });

  it('reads a 10-digit number with another default country by that country', () => {
    expect(normalizePhone('612 34 56 78', 'ES')).toEqual({ ok: true, e164: '+34612345678' });
    expect(normalizePhone('(415) 734-2290', 'US')).toEqual({ ok: true, e164: '+14157342290' });
  });
});

describe('the Mexican fast path', () => {
  it('agrees with the full libphonenumber-js verdict on every 10-digit prefix', async () => {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/min');
    for (let prefix = 0; prefix < 1000; prefix++) {
      const national = `${String(prefix).padStart(3, '0')}1234567`;
      const full = parsePhoneNumberFromString(national, 'MX');
      const expected = full?.isValid() ? full.number : null;
      const fast = normalizePhone(national, 'MX');
      expect(fast.ok ? fast.e164 : null, national).toBe(expected);
      const international = normalizePhone(`+52${national}`, 'MX');
      const fullIntl = parsePhoneNumberFromString(`+52${national}`);
      expect(international.ok ? international.e164 : null, `+52${national}`).toBe(fullIntl?.isValid() ? fullIntl.number : null);
    }
  });
});

describe('the one-pass read of a usual cell', () => {
  it('gives what the full path gives, for every shape of cell (a tab, trimmed by it, forces the full path)', () => {
    const bodies = ['5512345678', '525512345678', '5215512345678', '0445512345678', '015512345678', '00525512345678', '14157342290', '123', '1234567890123456'];
    const shapes = [
      (d: string) => d,
      (d: string) => `+${d}`,
      (d: string) => `${d.slice(0, 2)} ${d.slice(2, 6)} ${d.slice(6)}`,
      (d: string) => `(${d.slice(0, 2)}) ${d.slice(2, 6)}-${d.slice(6)}`,
      (d: string) => `+${d.slice(0, 2)}.${d.slice(2, 3)}\u00a0${d.slice(3)}`,
      (d: string) => `${d.slice(0, 3)}\u2013${d.slice(3)}/`,
      (d: string) => ` ${d} `,
      (d: string) => `${d.slice(0, 4)}+${d.slice(4)}`,
      (d: string) => `++${d}`,
      (d: string) => `'${d}`,
      (d: string) => `${d}e5`,
    ];
    for (const body of bodies) {
      for (const shape of shapes) {
        const cell = shape(body);
        expect(normalizePhone(cell, 'MX'), JSON.stringify(cell)).toEqual(normalizePhone(`${cell}\t`, 'MX'));
      }
    }
    for (const cell of ['+', '--', ' ', '', '()', '+ 52']) expect(normalizePhone(cell, 'MX'), JSON.stringify(cell)).toEqual(normalizePhone(`${cell}\t`, 'MX'));
  });
});
