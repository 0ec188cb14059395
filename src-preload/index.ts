import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  COMMAND_NAMES,
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type CommandResult,
  type EventName,
  type SpoolBridge,
} from './contract';

/**
 * The sandboxed preload: exposes `window.spool`, exactly the contract's SpoolBridge, and nothing
 * of Electron. Names outside the contract's lists are refused here; inputs are validated in main.
 * Beside it, `window.spoolFiles` answers the disk path of a file the user dropped on the window
 * (Chromium no longer gives pages `File.path`), which is all the new-job form needs of webUtils.
 */

const commands: ReadonlySet<string> = new Set(COMMAND_NAMES);
const events: ReadonlySet<string> = new Set(EVENT_NAMES);
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

// One IPC listener for all events; the page never sees Electron's event object.
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: { event?: unknown; payload?: unknown }) => {
  const name = message?.event;
  if (typeof name !== 'string' || !events.has(name)) return;
  for (const listener of listeners.get(name as EventName) ?? []) {
    try {
      listener(message.payload);
    } catch (error) {
      console.error(`spool: a listener for "${name}" threw`, error);
    }
  }
});

const bridge: SpoolBridge = {
  invoke(command, input) {
    if (typeof command !== 'string' || !commands.has(command)) {
      const refused: CommandResult<never> = { ok: false, error: { code: 'invalid', message: `unknown command ${JSON.stringify(String(command))}` } };
      return Promise.resolve(refused);
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, command, input);
  },
  on(event, listener) {
    if (!events.has(event) || typeof listener !== 'function') return () => undefined;
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
};

contextBridge.exposeInMainWorld('spool', bridge);
contextBridge.exposeInMainWorld('spoolFiles', {
  pathForFile(file: unknown): string | null {
    try {
      return webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]) || null;
    } catch {
      return null;
    }
  },
});
