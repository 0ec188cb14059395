import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-main/engine/types';
import { formToDuplicate, formToModify, presetFromJob } from './job-form-preset';

const job = {
  id: 7,
  name: 'sh010',
  dcc: 'blender',
  scene: '/s/sh010.blend',
  framesText: '1-10',
  chunkSize: 5,
  output: '/r/sh010_####.png',
  priority: 3,
  slots: 2,
  retries: 1,
  stallTimeoutSec: null,
  taskTimeoutSec: 600,
  device: { kind: 'gpu', index: 1 },
  overrides: { camera: 'CAM', samples: 64, threads: 4, format: 'PNG', env: { OCIO: '/cfg.ocio' }, executable: '/opt/blender' },
} as unknown as JobSummary;

describe('the job form opened on a job', () => {
  it('Modify: pre-filled from the job, and sends every field so an emptied one clears; overrides without a field ride along', () => {
    const preset = presetFromJob('modify', job, [3]);
    expect(preset.form).toMatchObject({ name: 'sh010', frames: '1-10', chunk: '5', device: 'gpu:1', slots: '2', threads: '4', format: 'PNG', camera: 'CAM', timeout: '600', after: [3] });
    const { input, errors } = formToModify({ ...preset.form, output: '', slots: '', camera: '', after: [] }, preset);
    expect(errors).toEqual({});
    expect(input).toMatchObject({ frames: '1-10', chunk: 5, output: null, slots: null, after: [], device: { gpu: 1 }, taskTimeoutSec: 600 });
    expect(input.overrides).toEqual({ samples: 64, threads: 4, format: 'PNG', env: { OCIO: '/cfg.ocio' }, executable: '/opt/blender' });
    expect(input).not.toHaveProperty('scene');
    expect(input).not.toHaveProperty('dcc');
    // Where it renders is sent only when changed: back here is null, another farm its name.
    const onFarm = presetFromJob('modify', { ...job, farm: 'hpc' }, []);
    expect(onFarm.form.farm).toBe('hpc');
    expect(formToModify(onFarm.form, onFarm).input).not.toHaveProperty('farm');
    expect(formToModify({ ...onFarm.form, farm: '' }, onFarm).input).toMatchObject({ farm: null });
    expect(formToModify({ ...onFarm.form, farm: 'studio' }, onFarm).input).toMatchObject({ farm: 'studio' });
    expect(formToDuplicate(onFarm.form, onFarm, false).input).toMatchObject({ farm: 'hpc' });
  });

  it('Duplicate: a copy named so, waiting for nothing, with the same overrides', () => {
    const preset = presetFromJob('duplicate', job, [3]);
    expect(preset.form.name).toBe('sh010 copy');
    expect(preset.form.after).toEqual([]);
    const { input } = formToDuplicate(preset.form, preset, false);
    expect(input).toMatchObject({ scene: '/s/sh010.blend', dcc: 'blender', name: 'sh010 copy', slots: 2 });
    expect(input.overrides).toMatchObject({ camera: 'CAM', env: { OCIO: '/cfg.ocio' }, executable: '/opt/blender' });
  });
});
