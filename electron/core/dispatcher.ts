import type { z } from 'zod';
import {
  commands,
  isCommandName,
  isReadOnly,
  type CommandArgs,
  type CommandName,
  type CommandOutput,
} from '../../shared/contract';
import type { ApiError, Result } from '../../shared/errors';
import { AppError } from './app-error';
import type { Logger } from './logger';
import { REQUEST_ID_PATTERN, type RequestLedger } from './request-ledger';
import { isDiskFull } from './storage-guard';

/**
 * Who made the call: the UI (its token or IPC), or an API key of the user's automation; and the caller's id for this
 * request, with which a repeated request is answered with the first answer instead of running again.
 */
export type CallContext = { keyId: number | null; requestId?: string };
export type Handler<K extends CommandName> = (input: CommandArgs<K>, context: CallContext) => Promise<CommandOutput<K>> | CommandOutput<K>;
export type Handlers = { [K in CommandName]: Handler<K> };
export type HandlerGroup = Partial<Handlers>;

export type Dispatcher = {
  /** Validates, runs and wraps one command; never throws and never leaks a stack. */
  dispatch(name: string, input: unknown, context?: CallContext): Promise<Result<unknown>>;
};

/** Merges the domains' handler groups into one table; a name registered twice or left out is a bug. */
export function mergeHandlers(...groups: HandlerGroup[]): Handlers {
  const merged: Partial<Record<CommandName, unknown>> = {};
  for (const group of groups) {
    for (const name of Object.keys(group) as CommandName[]) {
      if (merged[name]) throw new Error(`command registered twice: ${name}`);
      merged[name] = group[name];
    }
  }
  const missing = (Object.keys(commands) as CommandName[]).filter((name) => !merged[name]);
  if (missing.length > 0) throw new Error(`commands without a handler: ${missing.join(', ')}`);
  return merged as Handlers;
}

/** `onDiskFull` hears of a command that failed for want of room, so the whole app knows the disk is full. */
export function createDispatcher(
  handlers: Handlers,
  logger: Logger,
  onDiskFull: (error: unknown) => void = () => undefined,
  ledger?: RequestLedger,
): Dispatcher {
  return {
    async dispatch(name, input, context = { keyId: null }) {
      if (!isCommandName(name)) {
        return fail({ code: 'unknown_command', message: `unknown command: ${name.slice(0, 80)}` });
      }
      const spec = commands[name];
      const parsed = (spec.input as z.ZodType).safeParse(input ?? {});
      if (!parsed.success) return fail(inputError(parsed.error));
      const { requestId } = context;
      if (requestId === undefined || !ledger) return run(name, parsed.data, context);
      if (!REQUEST_ID_PATTERN.test(requestId)) return fail({ code: 'invalid_input', message: 'request id: 8 to 100 letters, digits or ._:-', field: 'requestId' });
      const scope = context.keyId === null ? 'ui' : `key${context.keyId}`;
      return ledger.run(scope, requestId, name, parsed.data, !isReadOnly(name), () => run(name, parsed.data, context));
    },
  };

  async function run(name: CommandName, input: unknown, context: CallContext): Promise<Result<unknown>> {
    const spec = commands[name];
    try {
      const handler = handlers[name] as (input: unknown, context: CallContext) => unknown;
      const value: unknown = await handler(input, context);
      const checked = (spec.output as z.ZodType).safeParse(value);
      if (!checked.success) {
        logger.error({ command: name, issues: checked.error.issues }, 'handler returned a value outside the contract');
        return fail({ code: 'internal', message: 'internal error' });
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof AppError) return fail(error.toApi());
      if (isDiskFull(error)) {
        logger.warn({ command: name, err: error }, 'command failed: disk full');
        onDiskFull(error);
        return fail({ code: 'disk_full', message: 'the disk of the data folder is full' });
      }
      logger.error({ command: name, err: error }, 'command failed');
      return fail({ code: 'internal', message: 'internal error' });
    }
  }
}

function fail(error: ApiError): Result<never> {
  return { ok: false, error };
}

function inputError(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  const where = field === '' ? 'input' : field;
  return {
    code: 'invalid_input',
    message: `${where}: ${issue?.message ?? 'invalid'}`,
    ...(field === '' ? {} : { field }),
  };
}
