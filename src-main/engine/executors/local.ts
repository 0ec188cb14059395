import { supervise } from '../supervisor/supervise';
import type { Executor } from './executor';

/** Runs units on this workstation as supervised children (own process group, log, timeouts). */
export function localExecutor(options: { killGraceMs?: number } = {}): Executor {
  return {
    start(command, report) {
      const child = supervise({
        ...command,
        killGraceMs: options.killGraceMs,
        onSpawn: (pid, pidStart) => report.started({ kind: 'local', pid, pidStart }),
        onLine: report.line,
        onRead: report.together,
      });
      return { exit: child.result, stop: (reason) => child.cancel(reason) };
    },
  };
}
