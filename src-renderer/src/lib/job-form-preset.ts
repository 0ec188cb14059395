import type { ModifyInput, SubmitInput } from '../../../src-preload/contract';
import type { JobOverrides, JobSummary } from '../../../src-main/engine/types';
import { formToSubmit, type FieldErrors, type JobForm } from './job-form';

/** Overrides the form edits; the others (env, executable, renderer, rop) ride along unchanged. */
const FORM_OVERRIDES = ['camera', 'layer', 'samples', 'threads', 'format', 'template'] as const;

/** The form opened on an existing job: for Modify (its settings) or Duplicate (a copy to edit). */
export interface FormPreset {
  mode: 'modify' | 'duplicate';
  jobId: number;
  form: JobForm;
  /** The job's overrides the form has no field for, kept as they are. */
  otherOverrides: JobOverrides;
  /** Modify: why "Render on" cannot change (the job was handed to a farm); null when it can. */
  farmLocked?: string | null;
}

const text = (value: number | string | null | undefined): string => (value === null || value === undefined ? '' : String(value));

export function presetFromJob(mode: FormPreset['mode'], job: JobSummary, after: readonly number[]): FormPreset {
  const o = job.overrides;
  const otherOverrides: JobOverrides = { ...o };
  for (const key of FORM_OVERRIDES) delete otherOverrides[key];
  return {
    mode,
    jobId: job.id,
    otherOverrides,
    form: {
      scene: job.scene ?? '',
      dcc: job.dcc,
      name: mode === 'duplicate' ? `${job.name} copy` : job.name,
      frames: job.framesText,
      chunk: text(job.chunkSize),
      priority: String(job.priority),
      device: job.device.kind === 'gpu' ? `gpu:${job.device.index}` : job.device.kind,
      retries: String(job.retries),
      stall: text(job.stallTimeoutSec),
      timeout: text(job.taskTimeoutSec),
      output: job.output ?? '',
      camera: o.camera ?? '',
      layer: o.layer ?? '',
      samples: text(o.samples),
      template: o.template ?? '',
      slots: text(job.slots),
      threads: text(o.threads),
      format: o.format ?? '',
      after: mode === 'duplicate' ? [] : [...after],
      farm: job.farm ?? '',
    },
  };
}

/** The form as `jobs.submit` input for a copy: the job's other overrides come along. */
export function formToDuplicate(form: JobForm, preset: FormPreset, sceneOptional: boolean): { input: SubmitInput; errors: FieldErrors } {
  const { input, errors } = formToSubmit(form, sceneOptional);
  input.overrides = { ...(preset.otherOverrides as SubmitInput['overrides']), ...input.overrides };
  return { input, errors };
}

/**
 * The form as `jobs.modify`'s change: every field it shows, so a field emptied is cleared
 * (output back to the scene's own, slots to the devices', no dependencies); scene and DCC are
 * what the job is and are not sent.
 */
export function formToModify(form: JobForm, preset: FormPreset): { input: ModifyInput; errors: FieldErrors } {
  const { input, errors } = formToSubmit(form, true);
  delete errors.scene;
  const { scene: _scene, dcc: _dcc, version: _version, steps: _steps, tags: _tags, farm: _farm, ...change } = input;
  // Sent only when changed: a job handed to a farm keeps its farm, and says so only if asked to move.
  const farm = form.farm === preset.form.farm ? {} : { farm: form.farm || null };
  return {
    errors,
    input: {
      ...change,
      ...farm,
      output: form.output.trim() || null,
      slots: change.slots ?? null,
      after: [...form.after],
      overrides: { ...(preset.otherOverrides as ModifyInput['overrides']), ...input.overrides },
    },
  };
}
