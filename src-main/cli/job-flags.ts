import { InputError } from '../engine/errors';
import type { SubmitInput } from '../engine/job-input';
import { intFlag } from './args';

/** The per-job flags that `submit`, `modify` and `watch` (a folder's defaults) take: one list, one spelling. */
export const JOB_FLAGS = {
  frames: { type: 'string' },
  chunk: { type: 'string' },
  output: { type: 'string' },
  dcc: { type: 'string' },
  template: { type: 'string' },
  priority: { type: 'string' },
  retries: { type: 'string' },
  device: { type: 'string' },
  threads: { type: 'string' },
  camera: { type: 'string' },
  layer: { type: 'string' },
  samples: { type: 'string' },
  format: { type: 'string' },
  'stall-timeout': { type: 'string' },
  timeout: { type: 'string' },
  executable: { type: 'string' },
} as const;

/** What parseArgs gives for JOB_FLAGS, plus the flags only a single job takes. */
export type JobFlagValues = { [K in keyof typeof JOB_FLAGS]?: string } & { name?: string; slots?: string; farm?: string };

/** The flags as a submission (or a change: `modify` takes the same fields); a flag left out is left out. */
export function jobInputFromFlags(values: JobFlagValues): SubmitInput {
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
  if (values.farm !== undefined) input.farm = values.farm;
  for (const key of Object.keys(input) as (keyof SubmitInput)[]) if (input[key] === undefined) delete input[key];
  return input;
}

/** `--after 3 --after lookdev`: ids as numbers, names as typed. */
export function afterRefs(refs: readonly string[]): (string | number)[] {
  return refs.map((ref) => (/^\d+$/.test(ref.trim()) ? Number(ref) : ref));
}

function parseDevice(text: string): SubmitInput['device'] {
  if (text === 'cpu' || text === 'any-gpu') return text;
  const match = /^gpu:(\d+)$/.exec(text);
  if (match) return { gpu: Number(match[1]) };
  throw new InputError('--device', `expected cpu, any-gpu or gpu:N, got "${text}"`);
}
