import { describe, expect, it } from 'vitest';
import {
  alfProgress,
  arithmeticRun,
  arnoldPercent,
  arnoldWrittenFile,
  childEnv,
  frameFromPath,
  frameOfFile,
  gpuEnv,
  licenceError,
  mayaProgressPercent,
  outputPieces,
  redshiftBlockFraction,
  redshiftSavedFile,
  threadsFor,
} from './common-patterns';
import type { RenderChunk } from './adapter';

describe('licenceError', () => {
  // Each line as printed, with where it was seen.
  const licenceLines: [string, string][] = [
    ['Error: [Redshift] License error: (RLM) All licenses in use (-22) //', 'CGRU afanasy/python/parsers/redshift.py comment'],
    ['Error: [Redshift] Maxon licensing error: No license found', 'deadline-cloud-for-maya adaptor.py regex (measured "licensing"), PR 480'],
    ['FLEXlm error: -15,10.  System Error: 10061 "WinSock: Connection refused"', 'Deadline 10 MayaCmd handler "FLEXlm error:"'],
    ['Maya: License was not obtained', 'Deadline 10 MayaCmd handler'],
    ['error: Could not obtain a license', 'deadline-cloud-for-maya adaptor.py (V-Ray)'],
    ['aborting render because the abort_on_license_fail option was enabled', 'deadline-cloud-for-maya adaptor.py (Arnold)'],
    ['No licenses could be found to run this application.', 'CGRU hbatch.py / karma.py, deadline-cloud-for-houdini adaptor.py'],
    ['Please check for a valid license server host', 'CGRU hbatch.py'],
    ['Enter RLM Settings (ENTER to keep input):', 'deadline-cloud-for-cinema-4d PR 530'],
    ['No available licenses to choose.', 'deadline-cloud-for-cinema-4d PR 530'],
    ['[rlm] abort_on_license_fail enabled', 'Deadline 10 Cinema4D.py handler'],
    ['Invalid License from License Server', 'Deadline 10 Cinema4D.py handler'],
  ];
  it.each(licenceLines)('%s is a fatal, non-retryable licence failure (%s)', (line) => {
    expect(licenceError(line)).toEqual({ type: 'error', message: `licence: ${line}`, retryable: false, fatal: true });
  });

  it('leaves ordinary lines alone', () => {
    expect(licenceError('00:00:02   279MB WARNING | [kick] render aborted due to earlier errors')).toBeNull();
    expect(licenceError('Writing output/path.exr took 0.44 seconds')).toBeNull();
  });
});

describe('progress lines', () => {
  it('reads Arnold % done (CGRU arnold.py comment)', () => {
    expect(arnoldPercent('12:34:56      32MB   |   45% done - 23 rays/pixel')).toBeCloseTo(0.45);
    expect(arnoldPercent('|     0% done - 37 rays/pixel')).toBe(0);
  });
  it('reads [PROGRESS] N percent (deadline-cloud-for-maya progress regex)', () => {
    expect(mayaProgressPercent('[PROGRESS] 50 percent')).toBe(0.5);
  });
  it('reads ALF_PROGRESS (deadline-cloud-for-houdini PR 141)', () => {
    expect(alfProgress('ALF_PROGRESS 17%')).toBeCloseTo(0.17);
    expect(alfProgress('[17:07:17] husk version 19.5.569')).toBeNull();
  });
  it('reads Redshift blocks (CGRU redshift.py comment)', () => {
    expect(redshiftBlockFraction('INFO : [Redshift] Block 32/48 (7,4) rendered by GPU 0 in 2ms')).toBeCloseTo(32 / 48);
    expect(redshiftBlockFraction('       [Redshift] Block 126/135 (14,0) rendered by GPU 1 in 12ms')).toBeCloseTo(126 / 135);
  });
});

describe('written files', () => {
  it("reads Arnold's driver line (Autodesk/arnold-usd issue 1875)", () => {
    expect(arnoldWrittenFile("        | [driver_exr] writing file `C:/Users/blairs/untitled.arnold_rendersettings1.0049.exr'")).toBe(
      'C:/Users/blairs/untitled.arnold_rendersettings1.0049.exr',
    );
  });
  it('reads Redshift Saving: (CGRU redshift.py re_image)', () => {
    expect(redshiftSavedFile('Saving: /renders/shot.0012.exr')).toBe('/renders/shot.0012.exr');
  });
  it('takes the frame from the last digit run of the name', () => {
    expect(frameFromPath('C:/Users/blairs/untitled.arnold_rendersettings1.0049.exr')).toBe(49);
    expect(frameFromPath('/r/v2/img_0007.png')).toBe(7);
    expect(frameFromPath('/r/v2/img.png')).toBeNull();
  });

  const chunk = (output: string | null, frames: number[]): RenderChunk => ({
    scene: '/s/a.ma',
    frames,
    output,
    device: { kind: 'cpu', threads: 4 },
    overrides: {},
  });
  it('with a chosen output, only the expected path marks a frame (an AOV beside it does not)', () => {
    const c = chunk('/out/beauty.####.exr', [1, 2]);
    const expected = (f: number): string => `/out/beauty.${String(f).padStart(4, '0')}.exr`;
    expect(frameOfFile(c, '/out/beauty.0002.exr', expected)).toBe(2);
    expect(frameOfFile(c, '/out/beauty_diffuse.0002.exr', expected)).toBeNull();
  });
  it("with the scene's own output, the frame number in the name decides", () => {
    const c = chunk(null, [10, 11]);
    expect(frameOfFile(c, '/any/x.0011.exr', () => null)).toBe(11);
    expect(frameOfFile(c, '/any/x.0099.exr', () => null)).toBeNull();
    expect(frameOfFile(chunk(null, [5]), '/any/still.exr', () => null)).toBe(5);
  });
});

describe('devices', () => {
  it('confines a GPU child to its GPU in nvidia-smi (PCI) order', () => {
    expect(gpuEnv({ kind: 'gpu', index: 1 }, true)).toEqual({ CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: '1' });
    expect(gpuEnv({ kind: 'gpu', index: 1 }, false)).toEqual({ CUDA_DEVICE_ORDER: 'PCI_BUS_ID' });
    expect(gpuEnv({ kind: 'cpu', threads: 8 }, true)).toEqual({});
  });
  it("lets the job's env win and omits an empty env", () => {
    expect(childEnv({ CUDA_VISIBLE_DEVICES: '1' }, { env: { CUDA_VISIBLE_DEVICES: '0' } })).toEqual({ CUDA_VISIBLE_DEVICES: '0' });
    expect(childEnv({}, {})).toBeUndefined();
  });
  it('passes threads for a CPU slot, and for a GPU slot only when asked', () => {
    expect(threadsFor({ kind: 'cpu', threads: 6 }, {})).toBe(6);
    expect(threadsFor({ kind: 'gpu', index: 0 }, {})).toBeNull();
    expect(threadsFor({ kind: 'gpu', index: 0 }, { threads: 2 })).toBe(2);
  });
});

describe('output patterns and runs', () => {
  it('cuts a pattern at its last # run', () => {
    expect(outputPieces('/out/v#1/beauty.####.exr')).toEqual({
      dir: '/out/v#1',
      prefix: '/out/v#1/beauty.',
      head: 'beauty.',
      width: 4,
      tail: '.exr',
    });
    expect(outputPieces('/out/beauty.exr')).toBeNull();
  });
  it('covers a retried chunk that lost its middle frame, counting every frame rendered', () => {
    expect(arithmeticRun([1, 3, 5])).toEqual({ start: 1, end: 5, step: 2, count: 3 });
    expect(arithmeticRun([7])).toEqual({ start: 7, end: 7, step: 1, count: 1 });
    expect(arithmeticRun([1, 4])).toEqual({ start: 1, end: 4, step: 3, count: 2 });
    expect(arithmeticRun([1, 2, 4])).toEqual({ start: 1, end: 4, step: 1, count: 4 });
  });
});
