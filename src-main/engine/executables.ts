import type { Adapter } from './adapters/adapter';
import type { JobOverrides } from './types';
import { findExecutable, isExecutable } from './find-executable';
import { readSetting, type SettingsStore } from './settings';

/**
 * Which program renders for an adapter: the job's explicit path, else the program the job itself
 * names (a command template's first word), else the user's choice for that DCC, else the first of
 * the adapter's executable names on PATH. Null when none exists.
 */
export function resolveExecutable(store: SettingsStore, adapter: Adapter, overrides: JobOverrides): string | null {
  const explicit = overrides.executable ?? adapter.executableFromJob?.(overrides) ?? undefined;
  if (explicit) return findExecutable(explicit);
  const chosen = readSetting(store, 'dccs.user').find((u) => u.dcc === adapter.id);
  if (chosen && isExecutable(chosen.executable)) return chosen.executable;
  // The newest install detection found (standard folders too, not only PATH).
  const found = readSetting(store, 'cache.dccs').find((d) => d.dcc === adapter.id);
  if (found && isExecutable(found.executable)) return found.executable;
  for (const name of adapter.executables) {
    const found = findExecutable(name);
    if (found) return found;
  }
  return null;
}
