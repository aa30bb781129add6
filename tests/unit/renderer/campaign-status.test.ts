import { describe, expect, it } from 'vitest';
import { campaignStatus, firstSendAt } from '../../../renderer/components/campaigns/campaign-status';
import { translator } from '../../../renderer/i18n/translate';

const zone = 'America/Mexico_City';
const nineToEight = { days: [1, 2, 3, 4, 5, 6], startMinute: 540, endMinute: 1200 };
// Monday 7 December 2026, 02:48 in Mexico City (08:48 UTC): the launch of #30 item 5.
const at248 = Date.parse('2026-12-07T02:48:00-06:00');
const es = translator('es');

describe("a campaign's start and status outside its sending hours (#30 item 5)", () => {
  it('the first message waits for the window; inside it, or with no window, it goes at once', () => {
    expect(firstSendAt({ window: nineToEight, timeZone: zone, startAt: null }, at248)).toBe(Date.parse('2026-12-07T09:00:00-06:00'));
    expect(firstSendAt({ window: nineToEight, timeZone: zone, startAt: null }, Date.parse('2026-12-07T10:00:00-06:00'))).toBeNull();
    expect(firstSendAt({ window: null, timeZone: zone, startAt: null }, at248)).toBeNull();
    // Scheduled for Sunday (not a sending day): it starts on Monday at 09:00.
    expect(firstSendAt({ window: nineToEight, timeZone: zone, startAt: Date.parse('2026-12-13T12:00:00-06:00') }, at248)).toBe(Date.parse('2026-12-14T09:00:00-06:00'));
  });

  it('a running campaign waiting for its hours says "Esperando horario (09:00)", not "Enviando"', () => {
    const running = { state: 'running' as const, settings: { window: nineToEight, timeZone: zone, startAt: null } };
    expect(campaignStatus(es, 'es', running, at248)).toEqual({ key: 'waiting', text: 'Esperando horario (09:00)' });
    expect(campaignStatus(es, 'es', running, Date.parse('2026-12-07T10:00:00-06:00'))).toEqual({ key: 'running', text: 'Enviando' });
    // Saturday 20:30: the next opening is Monday, said with its day.
    expect(campaignStatus(es, 'es', running, Date.parse('2026-12-12T20:30:00-06:00')).text).toMatch(/^Esperando horario \(lun.*14.*09:00.*\)$/);
    expect(campaignStatus(es, 'es', { ...running, state: 'paused' }, at248)).toEqual({ key: 'paused', text: 'En pausa' });
  });
});
