import type { UserExecutable } from '../settings';
import type { DccInstall } from './dcc-discovery';

/**
 * Which of the installs renders of a DCC use when the job names no program: the user's choice
 * (Settings, `spool dccs add`) first, else the newest detected install. One rule for
 * resolveExecutable (what renders run) and for what Devices and `spool dccs` mark as used.
 */
export function usedExecutable(
  dcc: string,
  user: readonly UserExecutable[],
  installs: readonly DccInstall[],
  usable: (file: string) => boolean,
): string | null {
  const chosen = user.find((u) => u.dcc === dcc && usable(u.executable));
  if (chosen) return chosen.executable;
  return installs.find((d) => d.dcc === dcc && d.supported !== false && usable(d.executable))?.executable ?? null;
}

/** The installs with `used: true` on the one per DCC that renders run. */
export function markUsed(installs: readonly DccInstall[], user: readonly UserExecutable[], usable: (file: string) => boolean): DccInstall[] {
  const used = new Map<string, string | null>();
  return installs.map(({ used: _stale, ...install }) => {
    if (install.supported === false) return install;
    if (!used.has(install.dcc)) used.set(install.dcc, usedExecutable(install.dcc, user, installs, usable));
    return used.get(install.dcc) === install.executable ? { ...install, used: true } : install;
  });
}
