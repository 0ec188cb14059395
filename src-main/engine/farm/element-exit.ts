import { constants as osConstants } from 'node:os';
import type { UnitExit } from '../executors/executor';
import type { FarmTask } from './backend';

/** How a finished element reads to the runner: an exit like a local child's. */
export function exitOf(task: FarmTask): Partial<UnitExit> & Pick<UnitExit, 'cause'> {
  switch (task.state) {
    case 'done':
      return { cause: 'exit', exitCode: task.exitCode ?? 0 };
    case 'canceled':
      return { cause: 'canceled', message: `canceled on the farm (${task.reason ?? task.farmId})` };
    default: {
      const code = task.exitCode ?? null;
      // A wrapper's exit status above 128 is a signal that killed the renderer.
      const signal = code !== null && code > 128 ? signalName(code - 128) : null;
      return signal
        ? { cause: 'exit', exitCode: null, signal, message: task.reason ?? null }
        : { cause: 'exit', exitCode: code ?? -1, message: task.reason ?? `farm element ${task.farmId} ended without an exit status` };
    }
  }
}

function signalName(n: number): string {
  return Object.entries(osConstants.signals).find(([, v]) => v === n)?.[0] ?? `signal ${n}`;
}
