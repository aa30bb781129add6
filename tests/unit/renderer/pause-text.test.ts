import { describe, expect, it } from 'vitest';
import { pauseText } from '../../../renderer/components/campaigns/pause-text';
import { translator } from '../../../renderer/i18n/translate';

const es = translator('es');

describe('why a campaign paused, with advice by cause (#30 item 4)', () => {
  it('a high share of opt-outs points at the list; a low one at the message; an old bare count at both', () => {
    const list = pauseText(es, 'brake_opt_outs', '7/100');
    expect(list).toContain('entre los últimos envíos (7 de 100)');
    expect(list).toContain('suele ser la lista');
    const message = pauseText(es, 'brake_opt_outs', '5/200');
    expect(message).toContain('(5 de 200)');
    expect(message).toContain('revisa el mensaje');
    expect(pauseText(es, 'brake_opt_outs', '5')).toContain('(5). Revisa tu mensaje y tu lista antes de seguir.');
    for (const text of [list, message]) expect(text).not.toMatch(/\{|\}|\(\)/);
  });
  it('other reasons keep their words', () => {
    expect(pauseText(es, 'user', null)).toBe('La pausaste tú.');
    expect(pauseText(es, 'brake_failures', '10')).toContain('(10)');
  });
});
