import { BASE, type DoubleVariant } from './variant';

/**
 * WhatsApp Web's lazy bundles (wa-js 3582, 3668: a module whose bundle the session never needed is absent from the
 * registry — `Requiring unknown module` — until `Bootloader.loadModules([component])` fetches it; 3476: looking
 * again without loading never finds it). Which bundle holds the media modules on a real build is not public: here the
 * ones whatsapp-web.js's `processMediaData` requires for preparing and uploading media ship in an attach-flow
 * component, as forwarding ships in `WAWebMediaForwardMediaMsg`'s. A July-2026 build: keys renamed too.
 */
export const lazyModules: DoubleVariant = {
  ...BASE,
  name: 'lazyModules',
  build: '2.3000.1045220589',
  keyField: '$1',
  lazyBundles: { 'WAWebAttachMediaFlow.react': ['WAWebPrepRawMedia', 'WAWebMediaMmsV4Upload'] },
};
