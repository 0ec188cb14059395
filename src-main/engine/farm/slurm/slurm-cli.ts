import { execa } from 'execa';
import { FarmUnreachable } from '../backend';

/** How long one Slurm client call may take before the farm counts as not answering. */
const CALL_TIMEOUT_MS = 20_000;

/** What says the controller did not answer (as opposed to refusing what was asked). */
const UNREACHABLE = /Unable to contact slurm controller|Socket timed out|Connection refused|Communication connection failure|Zero Bytes were transmitted|Munge encode failed|Invalid authentication credential/i;

export interface SlurmEnv {
  farm: string;
  /** Extra environment for every client call (SLURM_CONF for a cluster of its own). */
  env: Record<string, string>;
}

/**
 * Runs one Slurm client (sbatch, squeue, scontrol, scancel) with an argv array, never a shell.
 * A controller that does not answer throws FarmUnreachable; a refusal throws its own message.
 */
export async function slurm(context: SlurmEnv, tool: string, args: readonly string[]): Promise<string> {
  let result;
  try {
    result = await execa(tool, args, { env: context.env, reject: false, timeout: CALL_TIMEOUT_MS, stripFinalNewline: true });
  } catch (error) {
    throw new FarmUnreachable(context.farm, `${tool} could not run: ${(error as Error).message}`);
  }
  if (result.failed) {
    const said = `${String(result.stderr)}\n${String(result.stdout)}`.trim();
    if (result.timedOut || UNREACHABLE.test(said)) throw new FarmUnreachable(context.farm, firstLine(said) || `${tool} did not answer`);
    if ((result as { code?: string }).code === 'ENOENT') throw new FarmUnreachable(context.farm, `${tool} is not installed here`);
    throw new Error(`${tool} ${args[0] ?? ''}: ${firstLine(said) || `exit ${String(result.exitCode)}`}`);
  }
  return String(result.stdout);
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim())?.trim() ?? '';
}
