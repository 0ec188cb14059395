import { signalProcessesWithCookie } from './escaped';
import { killProcessGroup } from './process-identity';

// execa's `cleanup` does nothing for detached children, so groups still running when this process
// exits normally are killed here, with whatever escaped them (found by their attempt's cookie).
// SIGKILL: there is no time left for a grace.
const liveGroups = new Set<number>();
const liveCookies = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of liveGroups) killProcessGroup(group, 'SIGKILL');
    for (const cookie of liveCookies) signalProcessesWithCookie(cookie, 'SIGKILL');
  });
}

/** A child's group and cookie are live: killed if this process exits before the child is done. */
export function trackLive(group: number, cookie: string): void {
  installExitHook();
  liveGroups.add(group);
  liveCookies.add(cookie);
}

export function untrackGroup(group: number): void {
  liveGroups.delete(group);
}

export function untrackCookie(cookie: string): void {
  liveCookies.delete(cookie);
}
