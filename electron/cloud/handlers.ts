import type { HandlerGroup } from '../core/dispatcher';
import type { TemplatesRepo } from '../messages';
import type { CloudAccounts } from './cloud-accounts';

/** Cloud API numbers and their templates. */
export function cloudHandlers(deps: { accounts: CloudAccounts; templates: TemplatesRepo }) {
  const { accounts } = deps;
  return {
    'cloud.add': (input) => accounts.add(input),
    'cloud.list': () => accounts.list(),
    'cloud.check': ({ numberId }) => accounts.check(numberId),
    'cloud.templates': ({ numberId }) => accounts.templates(numberId),
    'cloud.syncTemplates': ({ numberId }) => accounts.syncTemplates(numberId),
    'cloud.createTemplate': (draft) => accounts.createTemplate(draft, deps.templates.get(draft.messageId)),
    'cloud.setRelay': ({ numberId, url }) => accounts.setRelay(numberId, url),
  } satisfies HandlerGroup;
}
