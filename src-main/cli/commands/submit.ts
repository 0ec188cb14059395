import { submitJob, submitJobs } from '../../engine/commands';
import { Engine } from '../../engine/engine';
import { InputError } from '../../engine/errors';
import type { SubmitInput } from '../../engine/job-input';
import type { JobSummary } from '../../engine/store';
import { intFlag, parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';
import { waitForJobs } from '../wait';

export const usage = `spool submit [SCENE...] [options]
  --frames SET        frames to render: 1-100, 1,5,10-20, 1-100x5, 100-1 (default: the scene's range)
  --chunk N|auto      frames per render process (default: auto)
  --output PATTERN    output path; # marks padded frame digits (shots/sh010_####)
  --dcc NAME          blender, povray, command… (default: from the scene's extension)
  --template CMD      with --dcc command: 'mytool --in {scene} --frame {frame} --out {output}'
  --name NAME  --priority N  --retries N  --slots N
  --device cpu|any-gpu|gpu:N   --threads N  --camera NAME  --layer NAME  --samples N  --format PNG
  --stall-timeout SEC  --timeout SEC  --executable PATH
  --wait              render now (runs an engine if none is running) and exit when done
  --json              print the job as JSON`;

const OPTIONS = {
  frames: { type: 'string' },
  chunk: { type: 'string' },
  output: { type: 'string' },
  dcc: { type: 'string' },
  template: { type: 'string' },
  name: { type: 'string' },
  priority: { type: 'string' },
  retries: { type: 'string' },
  slots: { type: 'string' },
  device: { type: 'string' },
  threads: { type: 'string' },
  camera: { type: 'string' },
  layer: { type: 'string' },
  samples: { type: 'string' },
  format: { type: 'string' },
  'stall-timeout': { type: 'string' },
  timeout: { type: 'string' },
  executable: { type: 'string' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  const base = toInput(values);
  const inputs: SubmitInput[] = positionals.length ? positionals.map((scene) => ({ ...base, scene })) : [base];
  if (positionals.length > 1 && values.name) throw new InputError('--name', 'one --name cannot name several scenes');

  if (values.wait) return submitAndWait(inputs, ctx, Boolean(values.json));
  const jobs = await withQueue(ctx, async (store, engineRunning) => {
    const deps = { cwd: ctx.cwd, defaults: store.getSetting('defaults') ?? undefined };
    const queued = inputs.length === 1 ? [await submitJob(store, inputs[0], deps)] : await submitJobs(store, inputs, deps);
    if (!engineRunning && !values.json) {
      ctx.err('No Spool engine is running: start one with `spool run` (or submit with --wait) to render.\n');
    }
    return queued;
  });
  if (values.json) ctx.out(`${JSON.stringify(jobs.length === 1 ? { id: jobs[0]!.id } : jobs.map((j) => ({ id: j.id })))}\n`);
  else for (const job of jobs) ctx.out(`${job.id}\n`);
  return EXIT.ok;
}

async function submitAndWait(inputs: SubmitInput[], ctx: CliContext, json: boolean): Promise<number> {
  // Another engine owns the data dir: queue through the store and watch it work.
  const owned = await tryStartEngine(ctx);
  if (!owned) {
    const jobs = await withQueue(ctx, async (store) =>
      submitJobs(store, inputs, { cwd: ctx.cwd, defaults: store.getSetting('defaults') ?? undefined }),
    );
    return waitForJobs(ctx, jobs.map((j) => j.id), { json, engine: null });
  }
  const engine = owned;
  try {
    const jobs: JobSummary[] = inputs.length === 1 ? [await engine.submit(inputs[0])] : await engine.submitMany(inputs);
    return await waitForJobs(ctx, jobs.map((j) => j.id), { json, engine });
  } finally {
    await engine.stop();
  }
}

async function tryStartEngine(ctx: CliContext): Promise<Engine | null> {
  try {
    // A one-off render uses the cached detection; it need not wait for a fresh one to exit.
    return await Engine.start({ dataDir: ctx.dataDir, detect: false });
  } catch (error) {
    if ((error as Error).name === 'DataDirLockedError') return null;
    throw error;
  }
}

function toInput(values: ReturnType<typeof parse<typeof OPTIONS>>['values']): SubmitInput {
  const overrides: NonNullable<SubmitInput['overrides']> = {};
  if (values.template !== undefined) overrides.template = values.template;
  if (values.camera !== undefined) overrides.camera = values.camera;
  if (values.layer !== undefined) overrides.layer = values.layer;
  if (values.format !== undefined) overrides.format = values.format.toUpperCase();
  if (values.executable !== undefined) overrides.executable = values.executable;
  const samples = intFlag('samples', values.samples);
  if (samples !== undefined) overrides.samples = samples;
  const threads = intFlag('threads', values.threads);
  if (threads !== undefined) overrides.threads = threads;

  const input: SubmitInput = { overrides };
  if (values.dcc !== undefined) input.dcc = values.dcc;
  else if (values.template !== undefined) input.dcc = 'command';
  if (values.frames !== undefined) input.frames = values.frames;
  if (values.chunk !== undefined) input.chunk = values.chunk === 'auto' ? 'auto' : intFlag('chunk', values.chunk)!;
  if (values.output !== undefined) input.output = values.output;
  if (values.name !== undefined) input.name = values.name;
  input.priority = intFlag('priority', values.priority);
  input.retries = intFlag('retries', values.retries);
  input.slots = intFlag('slots', values.slots);
  input.stallTimeoutSec = intFlag('stall-timeout', values['stall-timeout']);
  input.taskTimeoutSec = intFlag('timeout', values.timeout);
  if (values.device !== undefined) input.device = parseDevice(values.device);
  for (const key of Object.keys(input) as (keyof SubmitInput)[]) if (input[key] === undefined) delete input[key];
  return input;
}

function parseDevice(text: string): SubmitInput['device'] {
  if (text === 'cpu' || text === 'any-gpu') return text;
  const match = /^gpu:(\d+)$/.exec(text);
  if (match) return { gpu: Number(match[1]) };
  throw new InputError('--device', `expected cpu, any-gpu or gpu:N, got "${text}"`);
}
