import { BASE, type DoubleVariant } from './variant';

/**
 * A build whose app state never syncs after the link: whatsapp-web.js waits for `hasSynced` and never says `ready`
 * (wwebjs 201919: "authenticated" then nothing).
 */
export const neverSyncs: DoubleVariant = { ...BASE, name: 'neverSyncs', build: '2.3000.1046000000', keyField: '$1', neverSyncs: true };
