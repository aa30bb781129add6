import { describe, expect, it } from 'vitest';
import { translator } from '../../../renderer/i18n/translate';

describe('the UI translator', () => {
  it('says "1 contacto" and "2 contactos", in both languages', () => {
    const es = translator('es');
    const en = translator('en');
    expect(es('contacts.count', { count: 1 })).toBe('1 contacto');
    expect(es('contacts.count', { count: 2 })).toBe('2 contactos');
    expect(es('contacts.count', { count: 0 })).toBe('0 contactos');
    expect(es('contacts.count', { count: (1).toLocaleString() })).toBe('1 contacto');
    expect(en('contacts.count', { count: 1 })).toBe('1 contact');
    expect(en('contacts.count', { count: 3 })).toBe('3 contacts');
  });

  it('fills only the parameters it is given, and falls back to Spanish, then to the key', () => {
    expect(translator('es')('campaigns.live.doubt.more', { count: 4 })).toBe('y 4 más: resuelve estos primero.');
    expect(translator('en')('no.such.key')).toBe('no.such.key');
  });

  it('never writes a double period after a time that ends in "p.m."', () => {
    expect(translator('es')('contacts.optOutDone', { date: '1/12/2026, 2:19 p.m.' })).toBe('Dado de baja el 1/12/2026, 2:19 p.m. No recibirá más campañas.');
    expect(translator('es')('campaigns.live.startsAt', { when: 'mar 1 de dic, 09:00' })).toBe('Programada: empieza mar 1 de dic, 09:00.');
  });

  it('writes numbers in sentences with thousands separators', () => {
    expect(translator('es')('dashboard.sentToday', { sent: 1250, cap: 6000 })).toBe('1,250 de 6,000 hoy');
    expect(translator('en')('contacts.count', { count: 26864 })).toBe('26,864 contacts');
  });
});
