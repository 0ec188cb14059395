import type { CommandError, CommandInput, CommandName, CommandOutput } from './types';
import { getBridge } from './index';

/** A refused command, carrying the engine's error so forms can place it next to its field. */
export class CommandFailure extends Error {
  readonly code: CommandError['code'];
  readonly field: string | undefined;
  constructor(readonly command: CommandName, error: CommandError) {
    super(error.message);
    this.name = 'CommandFailure';
    this.code = error.code;
    this.field = error.field;
  }
}

/** invoke, unwrapped: resolves with the value or throws a CommandFailure. */
export async function call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  let result;
  try {
    result = await getBridge().invoke(command, input);
  } catch (error) {
    // The preload's ipcRenderer.invoke rejects when main throws outside the result envelope.
    throw new CommandFailure(command, { code: 'internal', message: error instanceof Error ? error.message : String(error) });
  }
  if (!result || typeof result !== 'object') {
    throw new CommandFailure(command, { code: 'internal', message: `${command}: malformed answer` });
  }
  if (result.ok) return result.value;
  throw new CommandFailure(command, result.error);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
