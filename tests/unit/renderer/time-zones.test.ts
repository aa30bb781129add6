import { describe, expect, it } from 'vitest';
import { zoneLabel, zoneOptions } from '../../../renderer/components/common/time-zones';

describe('time zones as people read them (#30 item 9)', () => {
  const at = Date.parse('2026-12-07T12:00:00Z');
  it('names the place, the zone in the user\'s language and its offset', () => {
    expect(zoneLabel('America/Mexico_City', 'es', at)).toMatch(/^Mexico City · hora .+ \(GMT-6\)$/);
    expect(zoneLabel('America/Argentina/Buenos_Aires', 'en', at)).toMatch(/^Argentina \/ Buenos Aires · .+ \(GMT-3\)$/);
  });
  it("lists Mexico's zones first and always the current one", () => {
    const options = zoneOptions('America/Mexico_City', 'es');
    expect(options[0]).toMatchObject({ group: 'mexico', zone: 'America/Mexico_City' });
    expect(options.filter((o) => o.group === 'mexico').map((o) => o.zone)).toContain('America/Tijuana');
    expect(zoneOptions('Etc/Unknown_Zone', 'es').some((o) => o.zone === 'Etc/Unknown_Zone')).toBe(true);
  });
});
