import { BASE, type DoubleVariant } from './variant';

/** Before July 2026: keys with `_serialized`, media models with avParams, one contact in ten on a LID. */
export const current: DoubleVariant = BASE;
