import { InputError } from '../../engine/errors';
import type { ModifyInput } from '../../engine/job-input';
import type { JobOverrides } from '../../engine/types';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { afterRefs, JOB_FLAGS, jobInputFromFlags } from '../job-flags';
import { withQueue } from '../queue';

export const usage = `spool modify JOB [options]   change a queued, blocked or paused job (the flags submit takes)
  --frames SET  --output PATTERN  --chunk N|auto  --priority N  --retries N  --name NAME
  --device cpu|any-gpu|gpu:N  --slots N  --threads N  --camera NAME  --layer NAME  --samples N  --format PNG
  --template CMD  --executable PATH  --stall-timeout SEC  --timeout SEC
  --set KEY=VALUE     any override (camera, samples, renderer, rop, env.NAME…); KEY= removes it
  --after JOB         wait for that job instead (repeat for several); --no-after waits for none
  --farm NAME         render on that farm instead (scene and output must be in its shared folders);
  --local             render on this workstation instead of a farm. Either only while nothing of the job
                      was handed to a farm (otherwise: cancel it and submit it again)
                      Done frames stay done; frames the new set leaves out leave the job (files stay on disk);
                      the rest are chunked again. A rendering job is refused: pause it first.`;

const OPTIONS = {
  ...JOB_FLAGS,
  name: { type: 'string' },
  slots: { type: 'string' },
  set: { type: 'string', multiple: true },
  after: { type: 'string', multiple: true },
  'no-after': { type: 'boolean' },
  farm: { type: 'string' },
  local: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  if (positionals.length !== 1) throw new InputError('JOB', `which job? usage: spool modify JOB [--frames SET] …`);
  if (values.dcc !== undefined) throw new InputError('--dcc', "a job's DCC cannot change; duplicate it instead");
  if (values.after && values['no-after']) throw new InputError('--after', 'give --after or --no-after, not both');
  if (values.farm !== undefined && values.local) throw new InputError('--farm', 'give --farm or --local, not both');
  const ref = positionals[0]!;
  const { dcc: _dcc, overrides: flagged, ...rest } = jobInputFromFlags(values);
  const changes: ModifyInput = rest;
  if (values.after) changes.after = afterRefs(values.after);
  if (values['no-after']) changes.after = [];
  if (values.local) changes.farm = null;

  const job = await withQueue(ctx, async (queue, engineRunning) => {
    if (Object.keys(flagged ?? {}).length > 0 || values.set) {
      changes.overrides = withSets({ ...queue.job(ref).overrides, ...flagged }, values.set ?? []) as ModifyInput['overrides'];
    }
    const modified = await queue.modify(ref, changes);
    if (!engineRunning && !values.json && modified.status === 'queued') {
      ctx.err('No Spool engine is running: start one with `spool run` to render.\n');
    }
    return modified;
  });
  if (values.json) ctx.out(`${JSON.stringify({ id: job.id, status: job.status })}\n`);
  else ctx.out(`job ${job.id} "${job.name}": modified — ${job.status}, frames ${job.framesText} (${job.frameCount}, ${job.framesDone} done)\n`);
  return EXIT.ok;
}

const NUMERIC = new Set(['samples', 'threads']);

/** `--set samples=64 --set env.OCIO=/cfg.ocio --set camera=`: the overrides with each set (or removed); the engine checks them. */
function withSets(overrides: JobOverrides, sets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...overrides };
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new InputError('--set', `expected KEY=VALUE, got "${set}"`);
    const key = set.slice(0, eq).trim();
    const value = set.slice(eq + 1);
    if (key.startsWith('env.')) {
      const env = { ...(out.env as Record<string, string> | undefined) };
      if (value === '') delete env[key.slice(4)];
      else env[key.slice(4)] = value;
      out.env = env;
    } else if (value === '') delete out[key];
    else out[key] = NUMERIC.has(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}
