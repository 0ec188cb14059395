import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Adapter } from './adapters/adapter';
import { allAdapters, getAdapter } from './adapters/registry';
import { identifyExecutable } from './detect/dcc-discovery';
import { detectionEntry } from './detect/detection-table';
import { usedExecutable } from './detect/used-install';
import { InputError } from './errors';
import type { JobOverrides } from './types';
import { findExecutable, isExecutable } from './find-executable';
import { readSetting, type SettingsStore, type UserExecutable } from './settings';

/**
 * Which program renders for an adapter: the job's explicit path, else the program the job itself
 * names (a command template's first word), else the user's choice for that DCC, else the first of
 * the adapter's executable names on PATH. Null when none exists.
 */
export function resolveExecutable(store: SettingsStore, adapter: Adapter, overrides: JobOverrides): string | null {
  const explicit = overrides.executable ?? adapter.executableFromJob?.(overrides) ?? undefined;
  if (explicit) return findExecutable(explicit);
  // The user's choice, else the newest install detection found (standard folders too, not only PATH).
  const used = usedExecutable(adapter.id, readSetting(store, 'dccs.user'), readSetting(store, 'cache.dccs'), isExecutable);
  if (used) return used;
  for (const name of adapter.executables) {
    const found = findExecutable(name);
    if (found) return found;
  }
  return null;
}

/**
 * The one check of a user's executable, for Settings (`settings.set`) and `spool dccs add` alike:
 * same rules, same messages. `dcc` absent: the DCC is named from the file's name. `field` says
 * where each face reports a problem (`userExecutables.0.dcc`, the CLI's PATH argument).
 */
export function checkUserExecutable(
  entry: { dcc?: string; executable: string },
  field: (part: 'dcc' | 'executable') => string = (part) => part,
): UserExecutable {
  const { executable } = entry;
  if (entry.dcc !== undefined) checkDcc(entry.dcc, field('dcc'));
  if (!path.isAbsolute(executable)) throw new InputError(field('executable'), 'give the full path of the program');
  if (!existsSync(executable)) throw new InputError(field('executable'), `no such file: ${executable}`);
  if (!isExecutable(executable)) throw new InputError(field('executable'), `${executable} is not an executable file`);
  if (entry.dcc !== undefined) return { dcc: entry.dcc, executable };
  const named = identifyExecutable(executable);
  if (named === null) {
    const known = allAdapters().flatMap((a) => a.executables.slice(0, 1));
    throw new InputError(field('executable'), `${path.basename(executable)} is not a DCC executable Spool knows (${known.join(', ')})`);
  }
  checkDcc(named, field('executable'));
  return { dcc: named, executable };
}

function checkDcc(dcc: string, field: string): void {
  if (getAdapter(dcc)) return;
  const program = detectionEntry(dcc);
  if (!program) throw new InputError(field, `Spool has no adapter "${dcc}"`);
  // A renderer found on its own: its scenes render through the DCCs that host it.
  const hosts = allAdapters().filter((a) => a.renderers?.includes(dcc));
  const through = hosts.length > 0 ? `; render its scenes through ${hosts.map((a) => a.label).join(', ')}` : '';
  throw new InputError(field, `${program.detect.product} is found, but not supported yet: Spool has no adapter for it${through}`);
}
