import { BASE, type DoubleVariant } from './variant';

/** July-2026 media models without `avParams` (wwebjs 201823, PR 201824; devlikeapro/waha 2149), keys renamed too. */
export const noAvParams: DoubleVariant = { ...BASE, name: 'noAvParams', build: '2.3000.1042401057', keyField: '$1', avParams: false };
