import { current } from './current';
import { keyRename } from './key-rename';
import { lazyModules } from './lazy-modules';
import { neverSyncs } from './never-syncs';
import { noAvParams } from './no-av-params';
import { sendActionMoved } from './send-action-moved';
import { unknown } from './unknown-build';

export { withBrokenChats } from './broken-chat';
export { withLimits } from './limits';
export { withPasskey } from './passkey';
export type { DoubleVariant } from './variant';

/** Every build the double plays; adding the next is a file beside these and a line here (docs/whatsapp-web.md). */
export const VARIANTS = { current, keyRename, noAvParams, lazyModules, neverSyncs, sendActionMoved, unknown };
