import { BASE, type DoubleVariant } from './variant';

/**
 * A build that moves the send action out from under the library (as builds did to `sendSeen`, wwebjs 3733, and to
 * the chat model, wwebjs 5759): the page looks known, and each send fails with a TypeError.
 */
export const sendActionMoved: DoubleVariant = { ...BASE, name: 'sendActionMoved', build: '2.3000.1099999998', sendActionMoved: true };
