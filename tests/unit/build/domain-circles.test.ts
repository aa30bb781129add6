import { describe, expect, it } from 'vitest';
import { domainCircles, fileCircles, readSources } from '../../helpers/import-graph';
import { REPO_ROOT } from '../../helpers/paths';

/**
 * The main process's domains depend on one another one way only (#37): a circle between two of them (campaigns ↔
 * health, cloud ↔ server, contacts ↔ whatsapp were the last) fails here, naming an import on it.
 */
describe('imports between the domains of electron/', () => {
  const sources = readSources(REPO_ROOT, 'electron');

  it('make no circle, between domains or between the files of one', () => {
    expect(sources.size).toBeGreaterThan(150);
    expect(domainCircles(sources)).toEqual([]);
    expect(fileCircles(sources)).toEqual([]);
  });

  it('fail on a new one, naming the import that closes it', () => {
    const withCircle = new Map(sources);
    withCircle.set('electron/health/uses-engine.ts', "import type { CampaignEngine } from '../campaigns';\nexport type E = CampaignEngine;\n");
    const circles = domainCircles(withCircle);
    expect(circles).toHaveLength(1);
    expect(circles[0]!.domains).toEqual(['campaigns', 'health']);
    expect(circles[0]!.edges).toContain('electron/health/uses-engine.ts → electron/campaigns/index.ts');
  });

  it('fail on a circle between two files of one domain (cloud-driver ↔ cloud-webhooks was one)', () => {
    const withCircle = new Map(sources);
    withCircle.set('electron/cloud/cloud-users.ts', `${sources.get('electron/cloud/cloud-users.ts')}\nimport type { CloudWebhooks } from './cloud-webhooks';\nexport type W = CloudWebhooks;\n`);
    expect(domainCircles(withCircle)).toEqual([]);
    const circles = fileCircles(withCircle);
    expect(circles).toHaveLength(1);
    // cloud-users → cloud-webhooks → cloud-driver → cloud-users.
    expect(circles[0]!.domains).toEqual(['electron/cloud/cloud-driver.ts', 'electron/cloud/cloud-users.ts', 'electron/cloud/cloud-webhooks.ts']);
  });
});
