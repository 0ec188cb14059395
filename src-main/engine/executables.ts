import type { Adapter } from './adapters/adapter';
import type { JobOverrides } from './types';
import { findExecutable, isExecutable } from './find-executable';
import type { Store } from './store';

/** A user's own choice of executable for a DCC (Settings, `spool dccs add PATH`). */
export interface UserExecutable {
  dcc: string;
  executable: string;
}

export const USER_EXECUTABLES_KEY = 'dccs.user';
/** Written by detect/workstation.ts, newest version first per DCC. */
const DETECTED_KEY = 'cache.dccs';

/**
 * Which program renders for an adapter: the job's explicit path, else the program the job itself
 * names (a command template's first word), else the user's choice for that DCC, else the first of
 * the adapter's executable names on PATH. Null when none exists.
 */
export function resolveExecutable(store: Store, adapter: Adapter, overrides: JobOverrides): string | null {
  const explicit = overrides.executable ?? adapter.executableFromJob?.(overrides) ?? undefined;
  if (explicit) return findExecutable(explicit);
  const chosen = ((store.settings.get(USER_EXECUTABLES_KEY) as UserExecutable[] | null) ?? []).find((u) => u.dcc === adapter.id);
  if (chosen && isExecutable(chosen.executable)) return chosen.executable;
  // The newest install detection found (standard folders too, not only PATH).
  const found = ((store.settings.get(DETECTED_KEY) as { dcc: string; executable: string }[] | null) ?? []).find((d) => d.dcc === adapter.id);
  if (found && isExecutable(found.executable)) return found.executable;
  for (const name of adapter.executables) {
    const found = findExecutable(name);
    if (found) return found;
  }
  return null;
}
