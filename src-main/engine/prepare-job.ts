import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Adapter, SceneInfo } from './adapters/adapter';
import { adapterForScene, allAdapters, getAdapter } from './adapters/registry';
import { InputError } from './errors';
import { checkFlamencoJob } from './farm/flamenco/job-facts';
import { requireMapped } from './farm/path-map';
import type { FarmProfile } from './farm/profile';
import { formatFrameSet, parseFrameSet } from './frames';
import { describeZodError, SubmitInputSchema, type SubmitInput } from './job-input';
import { JOB_DEFAULTS, type JobDefaults } from './settings';
import { checkStep, toStepSpec } from './steps/step-input';
import type { DevicePolicy, JobSpec } from './types';

export interface PreparedJob {
  spec: JobSpec;
  frames: number[];
  adapter: Adapter;
  /** Jobs it waits for, as the user named them (ids or names): resolved when it is queued. */
  after: (string | number)[];
}

export interface PrepareDeps {
  /** Reads defaults out of a scene (frame range, output) when the user left them out. */
  probe?: (adapter: Adapter, scene: string, overrides: JobSpec['overrides']) => Promise<SceneInfo | null>;
  cwd?: string;
  /** Settings → Defaults; the built-in JOB_DEFAULTS when absent. */
  defaults?: JobDefaults;
  /** The executable of a DCC's install whose version starts with `version` (`3.4` → 3.4.1), or null. */
  findInstall?: (dcc: string, version: string) => Promise<{ executable: string; version: string | null } | null>;
  /** Check only: create no output folder (`spool submit --dry-run`). */
  dryRun?: boolean;
  /** The farm profile of that name, or null: a farm job's scene and output must be under its shared paths. */
  farm?: (name: string) => FarmProfile | null;
}

/**
 * Turns what a user typed into a job the store can keep, or refuses it with an InputError naming
 * the field. Checks what can be checked before anything renders: the scene exists, the frame set
 * parses, the output folder can be created and written.
 */
export async function prepareJob(raw: unknown, deps: PrepareDeps = {}): Promise<PreparedJob> {
  const parsed = SubmitInputSchema.safeParse(raw);
  if (!parsed.success) throw new InputError('input', describeZodError(parsed.error));
  const input: SubmitInput = parsed.data;
  const cwd = deps.cwd ?? process.cwd();
  const defaults = deps.defaults ?? JOB_DEFAULTS;

  const scene = input.scene ? path.resolve(cwd, input.scene) : null;
  const adapter = pickAdapter(input.dcc, scene);
  if (scene) checkScene(scene);
  else if (!adapter.sceneOptional) throw new InputError('scene', `${adapter.label} needs a scene file`);

  const overrides = { ...(input.overrides ?? {}) };
  if (input.version !== undefined) {
    if (overrides.executable) throw new InputError('version', 'give either a version or an executable, not both');
    const found = deps.findInstall ? await deps.findInstall(adapter.id, input.version) : null;
    if (!found) throw new InputError('version', `no ${adapter.label} ${input.version} found on this machine (see \`spool dccs\`)`);
    overrides.executable = found.executable;
  }
  const output = input.output ? prepareOutput(path.resolve(cwd, input.output), deps.dryRun ?? false) : null;
  const problem = adapter.validate?.({ scene, output, overrides });
  if (problem) throw new InputError(adapter.id === 'command' ? 'template' : problemField(adapter, { scene, output, overrides }), problem);

  let framesText = input.frames?.trim() ?? '';
  if (!framesText && scene && deps.probe) {
    const info = await deps.probe(adapter, scene, overrides);
    if (info?.frameStart !== undefined && info.frameEnd !== undefined) {
      const step = info.frameStep && info.frameStep > 1 ? `x${info.frameStep}` : '';
      framesText = `${info.frameStart}-${info.frameEnd}${step}`;
    }
  }
  if (!framesText) throw new InputError('frames', 'no frame set given and the scene does not say one (pass --frames, e.g. 1-100)');
  // The text as typed, not trimmed: error columns must point into what the user sees in the field.
  const frames = parseFrameSet(input.frames?.trim() ? input.frames : framesText);
  if (!frames.ok) throw new InputError('frames', frames.error.message);
  const { lowest, highest } = frameBounds(frames.frames);
  if (adapter.minFrame !== undefined && lowest < adapter.minFrame) {
    throw new InputError('frames', `${adapter.label} cannot render frame ${lowest}: its frames start at ${adapter.minFrame}`);
  }
  if (adapter.maxFrame !== undefined && highest > adapter.maxFrame) {
    throw new InputError('frames', `${adapter.label} cannot render frame ${highest}: its frames end at ${adapter.maxFrame}`);
  }

  const steps = (input.steps ?? []).map((step, i) => {
    const problem = checkStep(step);
    if (problem) throw new InputError(`steps.${i}.${problem.field}`, problem.message);
    return toStepSpec(step, cwd);
  });

  const farm = input.farm ? await checkFarm(input.farm, deps, { adapter, scene, output, overrides, frames: frames.frames }) : null;
  const perFrame = adapter.perFrame?.(overrides) ?? false;
  const chunkSize = perFrame ? 1 : input.chunk === undefined || input.chunk === 'auto' ? (farm ? farmChunkSize(frames.frames.length, input.slots) : null) : input.chunk;

  const spec: JobSpec = {
    name: input.name ?? defaultName(scene, adapter),
    dcc: adapter.id,
    scene,
    framesText: input.frames?.trim() ? framesText : formatFrameSet(frames.frames),
    chunkSize,
    output,
    priority: input.priority ?? 0,
    slots: input.slots ?? null,
    retries: input.retries ?? defaults.retries,
    stallTimeoutSec: input.stallTimeoutSec !== undefined ? input.stallTimeoutSec : defaults.stallTimeoutSec,
    taskTimeoutSec: input.taskTimeoutSec !== undefined ? input.taskTimeoutSec : defaults.taskTimeoutSec,
    device: toDevicePolicy(input.device),
    overrides,
    tags: [...new Set(input.tags ?? [])],
    steps,
    ...(farm ? { farm } : {}),
  };
  return { spec, frames: frames.frames, adapter, after: input.after ?? [] };
}

/**
 * An adapter refuses a job with a sentence; the field it is about is the one without which the
 * sentence goes away. Naming it lets a face put the message beside that field ("input" when no
 * single field explains it).
 */
function problemField(adapter: Adapter, job: { scene: string | null; output: string | null; overrides: JobSpec['overrides'] }): string {
  const validate = (candidate: typeof job): boolean => !adapter.validate?.(candidate);
  if (job.output !== null && validate({ ...job, output: null })) return 'output';
  if (job.scene !== null && validate({ ...job, scene: null })) return 'scene';
  for (const key of Object.keys(job.overrides)) {
    const rest: Record<string, unknown> = { ...job.overrides };
    delete rest[key];
    if (validate({ ...job, overrides: rest })) return `overrides.${key}`;
  }
  return 'input';
}

/** No silent failure on the farm: a scene or output it cannot see is refused here, naming the mapping. */
async function checkFarm(
  name: string,
  deps: PrepareDeps,
  job: { adapter: Adapter; scene: string | null; output: string | null; overrides: JobSpec['overrides']; frames: readonly number[] },
): Promise<string> {
  const profile = deps.farm?.(name) ?? null;
  if (!profile) throw new InputError('farm', `no farm named "${name}" (spool farm list shows them)`);
  requireMapped(profile.name, profile.pathMap, { scene: job.scene, output: job.output });
  if (profile.kind === 'flamenco') {
    const { adapter, scene, overrides } = job;
    const probe = async () => (scene && deps.probe ? deps.probe(adapter, scene, overrides) : null);
    await checkFlamencoJob(profile.name, { dcc: adapter.id, output: job.output, frames: job.frames, overrides }, probe);
  }
  return profile.name;
}

/**
 * A farm job is chunked when it is submitted (its hand-off is one array job): automatic chunks are
 * one per slot it may use at once (4 when not set), so the farm runs them side by side.
 */
function farmChunkSize(frameCount: number, slots: number | null | undefined): number {
  return Math.max(1, Math.ceil(frameCount / (slots ?? 4)));
}

function pickAdapter(dcc: string | undefined, scene: string | null): Adapter {
  const known = allAdapters()
    .map((a) => a.id)
    .join(', ');
  if (dcc) {
    const adapter = getAdapter(dcc);
    if (!adapter) throw new InputError('dcc', `unknown DCC "${dcc}" (known: ${known})`);
    return adapter;
  }
  if (!scene) throw new InputError('dcc', `no scene given: pass a scene file or --dcc (known: ${known})`);
  const adapter = adapterForScene(scene);
  if (!adapter) {
    const ext = path.extname(scene) || '(no extension)';
    throw new InputError('dcc', `no DCC is known for ${ext} files; pass --dcc (known: ${known})`);
  }
  return adapter;
}

function checkScene(scene: string): void {
  let stat;
  try {
    stat = statSync(scene);
  } catch {
    throw new InputError('scene', `scene file not found: ${scene}`);
  }
  if (!stat.isFile()) throw new InputError('scene', `scene is not a file: ${scene}`);
}

/** Output patterns use `#` for padded frame digits; without any, four are appended as Blender does. */
function prepareOutput(pattern: string, dryRun: boolean): string {
  const withDigits = pattern.includes('#') ? pattern : `${pattern}####`;
  const dir = path.dirname(withDigits);
  try {
    if (dryRun) accessSync(nearestExisting(dir), constants.W_OK);
    else mkdirSync(dir, { recursive: true });
    if (!dryRun) accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError('output', `cannot write to the output folder ${dir} (${code})`);
  }
  return withDigits;
}

function nearestExisting(dir: string): string {
  let at = dir;
  while (!existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

function defaultName(scene: string | null, adapter: Adapter): string {
  return scene ? path.basename(scene, path.extname(scene)) : adapter.id;
}

function toDevicePolicy(device: SubmitInput['device']): DevicePolicy {
  if (device === undefined || device === 'cpu') return { kind: 'cpu' };
  if (device === 'any-gpu') return { kind: 'any-gpu' };
  return { kind: 'gpu', index: device.gpu };
}

/** A loop, not Math.min(...frames): spreading a million frames as arguments overflows the stack. */
function frameBounds(frames: readonly number[]): { lowest: number; highest: number } {
  let lowest = Infinity;
  let highest = -Infinity;
  for (const frame of frames) {
    if (frame < lowest) lowest = frame;
    if (frame > highest) highest = frame;
  }
  return { lowest, highest };
}
