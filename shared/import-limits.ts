/**
 * The widest file an import reads: CRM exports with thousands of columns exist; only mapped ones become fields.
 * Apart from the contract's schemas so the import's threads read it without loading zod (a tenth of a second at
 * each thread's start).
 */
export const MAX_COLUMNS = 5000;
