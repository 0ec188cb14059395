import { ipcMain } from 'electron';
import { IPC_INVOKE_CHANNEL, type CommandResult } from '../../src-preload/contract';
import type { Dispatcher } from '../api/dispatch';
import { isTrustedSender } from './trust';

const refused: CommandResult<never> = {
  ok: false,
  error: { code: 'invalid', message: "refused: the request did not come from Spool's own window" },
};

/**
 * The one IPC entry point. Every call is checked against the frame that sent it (our origin, top
 * frame only) before the dispatcher validates the input itself; nothing else is registered.
 */
export function handleInvoke(dispatch: Dispatcher): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, command: unknown, input: unknown) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isTrustedSender(frame.url)) return refused;
    if (typeof command !== 'string') return { ok: false, error: { code: 'invalid', message: 'the command name must be a string' } };
    return dispatch(command, input);
  });
}
