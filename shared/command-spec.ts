import type { z } from 'zod';

/** One command of the contract: what it takes, what it returns, one line on what it does. */
export type CommandSpec<I extends z.ZodType, O extends z.ZodType> = { doc: string; input: I; output: O };

export function command<I extends z.ZodType, O extends z.ZodType>(doc: string, input: I, output: O): CommandSpec<I, O> {
  return { doc, input, output };
}
