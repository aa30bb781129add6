import { BASE, type DoubleVariant } from './variant';

/** 2.3000.1042401057 (July 2026): the key's `_serialized` renamed `$1` (wwebjs #201830, #201857; wa-js #3488). */
export const keyRename: DoubleVariant = { ...BASE, name: 'keyRename', build: '2.3000.1042401057', keyField: '$1' };
