import type { SubmitInput } from '../../../src-preload/contract';
import { parseFrameSet } from '../../../src-main/engine/frames';
import { CHUNK_SIZE, PRIORITY, RETRIES, SAMPLES, SLOTS, STALL_TIMEOUT_SEC, TASK_TIMEOUT_SEC, THREADS, type Range } from '../../../src-main/engine/limits';

/** The new-job form as typed: strings, so half-typed numbers survive until they parse. */
export interface JobForm {
  scene: string;
  /** '' = detect from the scene's extension. */
  dcc: string;
  name: string;
  frames: string;
  /** '' = automatic. */
  chunk: string;
  priority: string;
  /** 'cpu' | 'any-gpu' | 'gpu:N' */
  device: string;
  retries: string;
  stall: string;
  timeout: string;
  output: string;
  camera: string;
  layer: string;
  samples: string;
  template: string;
  /** Most chunks of this job at once; '' = from the devices. */
  slots: string;
  /** CPU threads per render process; '' = the device's share. */
  threads: string;
  /** Image format to force (PNG, OPEN_EXR…); '' = the scene's own. */
  format: string;
  /** Jobs this one waits for (ids from the queue). */
  after: number[];
  /** A farm profile's name; '' = this workstation. */
  farm: string;
}

export type FormField = keyof JobForm;
export type FieldErrors = Partial<Record<FormField | 'general', string>>;

export const EMPTY_FORM: JobForm = {
  scene: '',
  dcc: '',
  name: '',
  frames: '',
  chunk: '',
  priority: '0',
  device: 'cpu',
  retries: '2',
  stall: '',
  timeout: '',
  output: '',
  camera: '',
  layer: '',
  samples: '',
  template: '',
  slots: '',
  threads: '',
  format: '',
  after: [],
  farm: '',
};

function intField(errors: FieldErrors, field: FormField, text: string, { min, max }: Range, what: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^-?\d+$/.test(t)) {
    errors[field] = `${what} is a whole number`;
    return undefined;
  }
  const n = Number(t);
  if (n < min || n > max) {
    errors[field] = `${what} is between ${min} and ${max}`;
    return undefined;
  }
  return n;
}

/**
 * Turns the form into `jobs.submit`'s input, or field errors for what can be checked here. Main
 * validates everything again; this only saves a round trip for typos.
 */
export function formToSubmit(form: JobForm, sceneOptional: boolean): { input: SubmitInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const input: SubmitInput = {};
  const scene = form.scene.trim();
  if (scene) input.scene = scene;
  else if (!sceneOptional) errors.scene = 'choose a scene file';
  if (form.dcc) input.dcc = form.dcc;
  if (form.name.trim()) input.name = form.name.trim();
  const frames = form.frames.trim();
  if (frames) {
    const parsed = parseFrameSet(frames);
    if (!parsed.ok) errors.frames = parsed.error.message;
    input.frames = frames;
  }
  const chunk = form.chunk.trim();
  if (chunk === '' || chunk.toLowerCase() === 'auto') input.chunk = 'auto';
  else {
    const n = intField(errors, 'chunk', chunk, CHUNK_SIZE, 'chunk size');
    if (n !== undefined) input.chunk = n;
  }
  const priority = intField(errors, 'priority', form.priority, PRIORITY, 'priority');
  if (priority !== undefined) input.priority = priority;
  const retries = intField(errors, 'retries', form.retries, RETRIES, 'retries');
  if (retries !== undefined) input.retries = retries;
  const stall = intField(errors, 'stall', form.stall, STALL_TIMEOUT_SEC, 'stall timeout');
  input.stallTimeoutSec = stall ?? null;
  const timeout = intField(errors, 'timeout', form.timeout, TASK_TIMEOUT_SEC, 'total timeout');
  input.taskTimeoutSec = timeout ?? null;
  if (form.device === 'any-gpu') input.device = 'any-gpu';
  else if (form.device.startsWith('gpu:')) input.device = { gpu: Number(form.device.slice(4)) };
  else input.device = 'cpu';
  if (form.output.trim()) input.output = form.output.trim();
  const overrides: NonNullable<SubmitInput['overrides']> = {};
  if (form.camera.trim()) overrides.camera = form.camera.trim();
  if (form.layer.trim()) overrides.layer = form.layer.trim();
  const samples = intField(errors, 'samples', form.samples, SAMPLES, 'samples');
  if (samples !== undefined) overrides.samples = samples;
  const threads = intField(errors, 'threads', form.threads, THREADS, 'threads');
  if (threads !== undefined) overrides.threads = threads;
  if (form.format.trim()) overrides.format = form.format.trim().toUpperCase();
  if (form.template.trim()) overrides.template = form.template.trim();
  else if (form.dcc === 'command') errors.template = 'a generic command needs a command template';
  if (Object.keys(overrides).length > 0) input.overrides = overrides;
  const slots = intField(errors, 'slots', form.slots, SLOTS, 'slots');
  if (slots !== undefined) input.slots = slots;
  if (form.after.length > 0) input.after = [...form.after];
  if (form.farm) input.farm = form.farm;
  return { input, errors };
}

/** Main's field names (and zod paths) → the form field that shows the message. */
const SERVER_FIELDS: Record<string, FormField> = {
  scene: 'scene',
  dcc: 'dcc',
  name: 'name',
  frames: 'frames',
  chunk: 'chunk',
  priority: 'priority',
  retries: 'retries',
  stallTimeoutSec: 'stall',
  taskTimeoutSec: 'timeout',
  device: 'device',
  output: 'output',
  template: 'template',
  'overrides.template': 'template',
  'overrides.camera': 'camera',
  'overrides.layer': 'layer',
  'overrides.samples': 'samples',
  'overrides.threads': 'threads',
  'overrides.format': 'format',
  slots: 'slots',
  after: 'after',
  farm: 'farm',
};

/**
 * Places main's refusal next to the field it names: each `field: message` line goes to that
 * field (a validation message can name several), a line without one goes to `error.field`;
 * anything left unplaced is shown at the form's foot.
 */
export function serverFieldErrors(message: string, field: string | undefined): FieldErrors {
  const errors: FieldErrors = {};
  const fallback = field ? SERVER_FIELDS[field] : undefined;
  const general: string[] = [];
  const add = (target: FormField, text: string): void => {
    errors[target] = errors[target] ? `${errors[target]}; ${text}` : text;
  };
  for (const line of message.split('\n')) {
    if (!line.trim()) continue;
    const m = /^([\w.]+(?:\[\d+\])?): (.*)$/.exec(line);
    const target = m ? SERVER_FIELDS[m[1]!] : undefined;
    if (target && m) add(target, m[2]!);
    else if (fallback) add(fallback, line);
    else general.push(line);
  }
  if (general.length > 0) errors.general = general.join('\n');
  return errors;
}
