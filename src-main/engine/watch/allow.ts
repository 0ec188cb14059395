import { adapterForScene } from '../adapters/registry';
import { riskyEnvMessage, riskyEnvNames } from '../env-policy';
import type { SubmitInput } from '../job-input';
import type { WatchFolder } from '../settings';

/**
 * What a watch folder may queue. Whoever can write into the folder picks what its files ask for,
 * so a dropped file gets only what the folder's owner allowed: the DCC the folder's defaults name
 * and those listed in `allow.dccs`; batch files only with `allow.batch`; a command template, an
 * executable or a command step that the file itself brings only with `allow.command` (each runs
 * any program). The folder's own defaults are the owner's choice and need no opt-in.
 * Null when the submission may be queued, else the reason it is refused.
 */
export function watchRefusal(folder: WatchFolder, inputs: readonly SubmitInput[], file: { batch: boolean }, riskyEnvAllowed: boolean): string | null {
  const allow = folder.allow ?? {};
  const fix = (flag: string): string => `allow it with \`spool watch ${folder.dir} ${flag}\``;
  if (file.batch && !allow.batch) return `batch files are not allowed in this watch folder (${fix('--allow-batch')})`;
  const own = folder.defaults;
  for (const input of inputs) {
    const dcc = input.dcc ?? (input.scene ? adapterForScene(input.scene)?.id : undefined);
    if (dcc === undefined) continue; // prepareJob says what is missing
    const commandNeeded = brings(input.overrides?.template, own.template) || brings(input.overrides?.executable, own.executable) || bringsCommandStep(input, own.steps);
    if (commandNeeded && !allow.command) {
      return `a file in this watch folder may not choose what program runs (a command template, an executable or a command step): ${fix('--allow-command')}`;
    }
    const allowed = dcc === own.dcc || (allow.dccs ?? []).includes(dcc) || (dcc === 'command' && allow.command === true);
    if (!allowed) return dcc === 'command' ? `command templates are not allowed in this watch folder (${fix('--allow-command')})` : `${dcc} is not allowed in this watch folder (${fix(`--allow-dcc ${dcc}`)})`;
    if (!riskyEnvAllowed) {
      const [name] = riskyEnvNames(input.overrides?.env);
      if (name !== undefined) return riskyEnvMessage(name, 'a watch folder');
    }
  }
  return null;
}

/** The file sets a value the folder's owner did not. */
function brings(value: string | undefined, owners: string | undefined): boolean {
  return value !== undefined && value !== owners;
}

/** A command step the owner's defaults do not hold. */
function bringsCommandStep(input: SubmitInput, owners: readonly unknown[] | undefined): boolean {
  const known = new Set((owners ?? []).map((step) => JSON.stringify(step)));
  return (input.steps ?? []).some((step) => step.kind === 'command' && !known.has(JSON.stringify(step)));
}
