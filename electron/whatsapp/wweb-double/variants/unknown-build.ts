import { BASE, type DoubleVariant } from './variant';

/** A build the shim does not know: the message key module is not where anything expects it. */
export const unknown: DoubleVariant = { ...BASE, name: 'unknown', build: '2.3000.1099999999', msgKeyGone: true };
