import type { HandlerGroup } from '../core/dispatcher';
import type { MediaStore, TemplatesRepo } from '../messages';
import type { CloudAccounts } from './cloud-accounts';

/** Cloud API numbers and their templates. */
export function cloudHandlers(deps: { accounts: CloudAccounts; templates: TemplatesRepo; media: MediaStore }) {
  const { accounts } = deps;
  return {
    'cloud.add': (input) => accounts.add(input),
    'cloud.list': () => accounts.list(),
    'cloud.check': ({ numberId }) => accounts.check(numberId),
    'cloud.templates': ({ numberId }) => accounts.templates(numberId),
    'cloud.syncTemplates': ({ numberId }) => accounts.syncTemplates(numberId),
    'cloud.createTemplate': (draft) => {
      const saved = (id: number) => {
        const message = deps.templates.get(id);
        const file = message.media ? deps.media.file(message.media.id) : undefined;
        const media = message.media && file ? { path: file.path, mimeType: file.mime, fileName: message.media.fileName, kind: message.media.kind } : null;
        return { body: message.body, media };
      };
      return accounts.createTemplate(draft, saved(draft.messageId), (draft.cards ?? []).map(saved));
    },
    'cloud.setRelay': ({ numberId, url }) => accounts.setRelay(numberId, url),
  } satisfies HandlerGroup;
}
