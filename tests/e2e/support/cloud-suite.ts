import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../helpers/free-port';
import { TEST_META, startGraphMock, type GraphMock } from '../../helpers/graph-mock';
import { apiOf } from './api';
import { webAppSuite, type Suite } from './suite';

type MockOptions = Omit<Parameters<typeof startGraphMock>[0], 'token' | 'phoneNumberId' | 'wabaId' | 'displayPhone'>;

/**
 * A web-mode app whose Graph API is the mock on Meta's OpenAPI file (started first, with these options) and whose
 * webhook receiver listens on a free port, for a whole test file.
 */
export function cloudSuite(options: MockOptions): { suite: Suite; api: ReturnType<typeof apiOf>; mock: () => GraphMock; webhookUrl: () => string } {
  const args: string[] = [];
  let mock: GraphMock | undefined;
  let port = 0;
  beforeAll(async () => {
    mock = await startGraphMock({ token: TEST_META.token, ...TEST_META.account, ...options });
    port = await freePort();
    args.push('--graph-url', mock.url, '--webhook-port', String(port));
  });
  const suite = webAppSuite(args);
  afterAll(async () => {
    await mock?.close();
  });
  return { suite, api: apiOf(() => suite.web), mock: () => mock!, webhookUrl: () => `http://127.0.0.1:${port}/webhook` };
}
