import { z } from 'zod';
import { AppInfoSchema, SettingsPatchSchema, SettingsSchema } from './types';
import { LabelSchema, NumberIdSchema, NumberKindSchema, NumberViewSchema } from './numbers';

/** One command of the contract: what it takes, what it returns, one line on what it does. */
export type CommandSpec<I extends z.ZodType, O extends z.ZodType> = { doc: string; input: I; output: O };

function command<I extends z.ZodType, O extends z.ZodType>(doc: string, input: I, output: O): CommandSpec<I, O> {
  return { doc, input, output };
}

const Empty = z.object({}).strict();

/**
 * Every command the UI (or a user's automation over HTTP) can call. Served identically over Electron IPC and
 * `POST /api/<name>`; each input is validated before its handler runs.
 */
export const commands = {
  'app.info': command('Name, version, mode and where the data lives. No side effects.', Empty, AppInfoSchema),
  'settings.get': command('The current settings (defaults filled in). No side effects.', Empty, SettingsSchema),
  'settings.update': command(
    'Changes some settings and returns all of them; pushes `settings.changed`. Errors: invalid_input.',
    SettingsPatchSchema,
    SettingsSchema,
  ),
  'numbers.list': command('Every linked (or linking) number with its live state. No side effects.', Empty, z.array(NumberViewSchema)),
  'numbers.add': command(
    'Adds a number and starts linking it (a QR follows in `numbers.changed`); demo numbers run on the simulator.',
    z.object({ kind: NumberKindSchema, label: LabelSchema.optional() }).strict(),
    NumberViewSchema,
  ),
  'numbers.rename': command(
    'Changes the label of a number. Errors: not_found.',
    z.object({ id: NumberIdSchema, label: LabelSchema }).strict(),
    NumberViewSchema,
  ),
  'numbers.reconnect': command(
    'Restarts the session of a number (after an error, a logout or a conflict); a QR follows if it is not linked. Errors: not_found.',
    z.object({ id: NumberIdSchema }).strict(),
    NumberViewSchema,
  ),
  'numbers.remove': command(
    'Unlinks a number: logs out of WhatsApp, deletes its session folder, removes it from the list. Errors: not_found.',
    z.object({ id: NumberIdSchema }).strict(),
    z.object({ id: NumberIdSchema }),
  ),
  'numbers.simulateScan': command(
    'Demo numbers only: acts as if the phone scanned the QR. Errors: not_found, not_demo, not_waiting_for_qr.',
    z.object({ id: NumberIdSchema }).strict(),
    NumberViewSchema,
  ),
} as const;

/** Events pushed from the main process to every open UI. */
export const events = {
  'settings.changed': SettingsSchema,
  /** A number was added, changed state, showed a new QR, or was renamed. */
  'numbers.changed': NumberViewSchema,
  'numbers.removed': z.object({ id: NumberIdSchema }),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>;
export type CommandArgs<K extends CommandName> = z.output<Commands[K]['input']>;
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
/** What travels on the wire (IPC channel `event`, or one WebSocket frame). */
export type EventEnvelope = { [K in EventName]: { event: K; payload: EventPayload<K> } }[EventName];

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
