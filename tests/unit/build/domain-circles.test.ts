import { describe, expect, it } from 'vitest';
import { domainCircles, readSources } from '../../helpers/import-graph';
import { REPO_ROOT } from '../../helpers/paths';

/**
 * The main process's domains depend on one another one way only (#37): a circle between two of them (campaigns ↔
 * health, cloud ↔ server, contacts ↔ whatsapp were the last) fails here, naming an import on it.
 */
describe('imports between the domains of electron/', () => {
  const sources = readSources(REPO_ROOT, 'electron');

  it('make no circle', () => {
    expect(sources.size).toBeGreaterThan(150);
    expect(domainCircles(sources)).toEqual([]);
  });

  it('fail on a new one, naming the import that closes it', () => {
    const withCircle = new Map(sources);
    withCircle.set('electron/health/uses-engine.ts', "import type { CampaignEngine } from '../campaigns';\nexport type E = CampaignEngine;\n");
    const circles = domainCircles(withCircle);
    expect(circles).toHaveLength(1);
    expect(circles[0]!.domains).toEqual(['campaigns', 'health']);
    expect(circles[0]!.edges).toContain('electron/health/uses-engine.ts → electron/campaigns/index.ts');
  });
});
