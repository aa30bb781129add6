import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTO_REPLIES, type AutoReplies } from '../../../shared/auto-replies';
import { chooseAutoReply, mentions, withinHours, withPersonLine, PERSON_LINE } from '../../../electron/conversations';

const ZONE = 'America/Mexico_City';
/** Local times in Mexico City (UTC−6 all year since 2022). */
const at = (iso: string) => Date.parse(`${iso}-06:00`);
const config = (over: Partial<AutoReplies> = {}): AutoReplies => ({ ...DEFAULT_AUTO_REPLIES, enabled: true, ...over });

describe('auto-replies (#33)', () => {
  it('matches keywords whole, without accents or case', () => {
    expect(mentions('¿Cuál es el PRECIO?', ['precio'])).toBe(true);
    expect(mentions('¿cuanto cuesta la talla M?', ['cuánto cuesta'])).toBe(true);
    expect(mentions('preciosa la playera', ['precio'])).toBe(false);
    expect(mentions('horarios?', ['horario'])).toBe(false);
  });

  it('business hours: the days and from–to in the zone, overnight hours belonging to the day they start', () => {
    const away = { ...DEFAULT_AUTO_REPLIES.away, days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' };
    expect(withinHours(at('2026-12-07T10:00:00'), away, ZONE)).toBe(true); // Monday
    expect(withinHours(at('2026-12-07T18:00:00'), away, ZONE)).toBe(false);
    expect(withinHours(at('2026-12-06T10:00:00'), away, ZONE)).toBe(false); // Sunday
    const night = { ...away, from: '18:00', to: '02:00' };
    expect(withinHours(at('2026-12-08T01:30:00'), night, ZONE)).toBe(true); // Monday's night, on Tuesday
    expect(withinHours(at('2026-12-07T01:30:00'), night, ZONE)).toBe(false); // Sunday's night: closed
  });

  it('one choice order: keyword, then away, then greeting; nothing when off', () => {
    const all = config({
      away: { ...DEFAULT_AUTO_REPLIES.away, enabled: true },
      greeting: { enabled: true, text: 'Hola' },
      keywords: [{ words: ['precio'], text: 'Precios: …' }],
    });
    const night = at('2026-12-07T23:00:00');
    expect(chooseAutoReply(all, { body: 'precio?', type: 'chat', at: night, first: true }, ZONE).map((c) => c.rule)).toEqual(['keyword:0:precio', 'away', 'greeting']);
    expect(chooseAutoReply(all, { body: 'hola', type: 'chat', at: at('2026-12-07T10:00:00'), first: false }, ZONE)).toEqual([]);
    // Someone asking for a person gets no keyword answer, and a photo none either.
    expect(chooseAutoReply(all, { body: 'precio, quiero hablar con una persona', type: 'chat', at: at('2026-12-07T10:00:00'), first: false }, ZONE)).toEqual([]);
    expect(chooseAutoReply(all, { body: 'precio', type: 'image', at: at('2026-12-07T10:00:00'), first: false }, ZONE)).toEqual([]);
    expect(chooseAutoReply({ ...all, enabled: false }, { body: 'precio', type: 'chat', at: night, first: true }, ZONE)).toEqual([]);
  });

  it('always says how to reach a person, once', () => {
    expect(withPersonLine('Precios en la web.')).toBe(`Precios en la web.\n\n${PERSON_LINE}`);
    expect(withPersonLine('En un momento te atiende una persona.')).toBe('En un momento te atiende una persona.');
  });
});
