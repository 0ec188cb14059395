/**
 * Maya cannot run here. Flags: Autodesk Maya help, "Render from the command line" / common flags
 * (-r -s -e -b -rd -im -fnc -pad -of -rl -cam -proj); renderer flags from Deadline 10's MayaCmd.py
 * (`-gpu {0,1}`, V-Ray `-threads`, `-n`); `-fnc 3` = name.#.ext from a public script that renders
 * `-fnc 3 -pad 3 -im X -of ext` and reads `X.%03d.ext`; `-ai:threads` from public Render command lines.
 */
import { describe, expect, it } from 'vitest';
import type { RenderChunk } from './adapter';
import { createMayaParser, mayaAdapter } from './maya';

const base: RenderChunk = {
  scene: '/proj/shot/scenes/light_v3.mb',
  frames: [1, 2, 3, 4],
  output: '/renders/shot/beauty.####.exr',
  device: { kind: 'cpu', threads: 8 },
  overrides: {},
};

describe('mayaAdapter.buildCommand', () => {
  it('renders with the scene renderer, Maya name.#.ext naming and the project holding scenes/', () => {
    expect(mayaAdapter.buildCommand(base, '/usr/autodesk/maya2025/bin/Render')).toEqual({
      file: '/usr/autodesk/maya2025/bin/Render',
      args: [
        '-r', 'file', '-s', '1', '-e', '4', '-b', '1',
        '-rd', '/renders/shot', '-im', 'beauty', '-fnc', '3', '-pad', '4', '-of', 'exr',
        '-proj', '/proj/shot',
        '/proj/shot/scenes/light_v3.mb',
      ],
    });
  });

  it('passes Arnold threads, layer and camera', () => {
    const chunk: RenderChunk = {
      ...base,
      frames: [10, 20, 30],
      overrides: { renderer: 'arnold', layer: 'rs_beauty', camera: 'shotCam' } as RenderChunk['overrides'],
    };
    expect(mayaAdapter.buildCommand(chunk, 'Render').args).toEqual([
      '-r', 'arnold', '-s', '10', '-e', '30', '-b', '10',
      '-rd', '/renders/shot', '-im', 'beauty', '-fnc', '3', '-pad', '4', '-of', 'exr',
      '-rl', 'rs_beauty', '-cam', 'shotCam',
      '-proj', '/proj/shot',
      '-ai:threads', '8',
      '/proj/shot/scenes/light_v3.mb',
    ]);
  });

  it('gives Redshift its GPU with -gpu {i}, leaving every GPU visible in PCI order', () => {
    const chunk: RenderChunk = {
      ...base,
      scene: '/work/light.ma',
      output: null,
      device: { kind: 'gpu', index: 1 },
      overrides: { renderer: 'redshift' } as RenderChunk['overrides'],
    };
    expect(mayaAdapter.buildCommand(chunk, 'Render')).toEqual({
      file: 'Render',
      args: ['-r', 'redshift', '-s', '1', '-e', '4', '-b', '1', '-gpu', '{1}', '/work/light.ma'],
      env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID' },
    });
  });

  it('confines V-Ray on a GPU slot to that GPU, and threads it on a CPU slot', () => {
    const gpu: RenderChunk = { ...base, scene: '/w/a.mb', output: null, device: { kind: 'gpu', index: 0 }, overrides: { renderer: 'vray' } as RenderChunk['overrides'] };
    expect(mayaAdapter.buildCommand(gpu, 'Render')).toEqual({
      file: 'Render',
      args: ['-r', 'vray', '-s', '1', '-e', '4', '-b', '1', '/w/a.mb'],
      env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: '0' },
    });
    const cpu: RenderChunk = { ...gpu, device: { kind: 'cpu', threads: 6 } };
    expect(mayaAdapter.buildCommand(cpu, 'Render').args).toEqual(['-r', 'vray', '-s', '1', '-e', '4', '-b', '1', '-threads', '6', '/w/a.mb']);
  });

  it('threads the software renderer with -n', () => {
    const chunk: RenderChunk = { ...base, scene: '/w/a.mb', output: null, frames: [5], overrides: { renderer: 'sw' } as RenderChunk['overrides'] };
    expect(mayaAdapter.buildCommand(chunk, 'Render').args).toEqual(['-r', 'sw', '-s', '5', '-e', '5', '-b', '1', '-n', '8', '/w/a.mb']);
  });

  it('keeps the user env over its own', () => {
    const chunk: RenderChunk = { ...base, output: null, device: { kind: 'gpu', index: 2 }, overrides: { env: { MAYA_DISABLE_CIP: '1' } } };
    expect(mayaAdapter.buildCommand(chunk, 'Render').env).toEqual({
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
      CUDA_VISIBLE_DEVICES: '2',
      MAYA_DISABLE_CIP: '1',
    });
  });
});

describe('mayaAdapter.validate and expectedOutput', () => {
  it('accepts name.####.ext and refuses what Maya could not name that way', () => {
    expect(mayaAdapter.validate!({ scene: '/a.mb', output: '/r/beauty.####.exr', overrides: {} })).toBeNull();
    expect(mayaAdapter.validate!({ scene: '/a.mb', output: null, overrides: {} })).toBeNull();
    expect(mayaAdapter.validate!({ scene: '/a.mb', output: '/r/beauty_####.exr', overrides: {} })).toMatch(/name\.####\.ext/);
    expect(mayaAdapter.validate!({ scene: '/a.mb', output: '/r/beauty.####', overrides: {} })).toMatch(/name\.####\.ext/);
    expect(mayaAdapter.validate!({ scene: '/a.mb', output: null, overrides: { renderer: 'mental' } as never })).toMatch(/unknown Maya renderer/);
  });
  it('expects the padded frame where Maya writes it', () => {
    expect(mayaAdapter.expectedOutput(base, 3)).toBe('/renders/shot/beauty.0003.exr');
    expect(mayaAdapter.expectedOutput({ ...base, output: null }, 3)).toBeNull();
  });
});

describe('Maya output parser', () => {
  it('reads Arnold progress (CGRU maya_arnold.py comment) and the written file (Autodesk/arnold-usd issue 1875 shape)', () => {
    const p = createMayaParser({ ...base, frames: [49], output: null });
    expect(p.parse('12:34:56      32MB   |   45% done - 23 rays/pixel')).toEqual([{ type: 'progress', frame: 49, fraction: 0.45 }]);
    expect(p.parse("        | [driver_exr] writing file `C:/Users/blairs/untitled.arnold_rendersettings1.0049.exr'")).toEqual([
      { type: 'frame-saved', frame: 49, path: 'C:/Users/blairs/untitled.arnold_rendersettings1.0049.exr' },
    ]);
  });

  it("reads Maya Software's Finished Rendering line, trailing period and all (ubuntuforums Maya 7 log)", () => {
    const p = createMayaParser({ ...base, frames: [1], output: null });
    expect(p.parse('Finished Rendering /home/jason/maya/projects/default/images/tmp/untitled.iff.')).toEqual([
      { type: 'frame-saved', frame: 1, path: '/home/jason/maya/projects/default/images/tmp/untitled.iff' },
    ]);
  });

  it('with a chosen output, only that file marks its frame', () => {
    const p = createMayaParser(base);
    expect(p.parse('Finished Rendering /renders/shot/beauty.0002.exr')).toEqual([
      { type: 'frame-saved', frame: 2, path: '/renders/shot/beauty.0002.exr' },
    ]);
    expect(p.parse("| [driver_exr] writing file `/renders/shot/beauty_crypto.0002.exr'")).toEqual([]);
  });

  it('reads [PROGRESS] lines (deadline-cloud-for-maya)', () => {
    expect(createMayaParser(base).parse('[PROGRESS] 50 percent')).toEqual([{ type: 'progress', frame: null, fraction: 0.5 }]);
  });

  it('reads Redshift frames and blocks (CGRU redshift.py comments)', () => {
    const p = createMayaParser(base);
    expect(p.parse('Rendering frame 3...')).toEqual([{ type: 'frame-start', frame: 3 }]);
    expect(p.parse('INFO : [Redshift] Block 32/48 (7,4) rendered by GPU 0 in 2ms')).toEqual([
      { type: 'progress', frame: 3, fraction: 32 / 48 },
    ]);
  });

  it('fails a Redshift licence error even though Maya exits 0 (deadline-cloud-for-maya PR 480; CGRU redshift.py)', () => {
    const p = createMayaParser(base);
    expect(p.parse('Error: [Redshift] License error: (RLM) All licenses in use (-22) //')).toEqual([
      {
        type: 'error',
        message: 'licence: Error: [Redshift] License error: (RLM) All licenses in use (-22) //',
        retryable: false,
        fatal: true,
      },
    ]);
    expect(p.parse('[Redshift] Maxon licensing error: no entitlement')[0]).toMatchObject({ fatal: true, retryable: false });
    expect(p.parse('FLEXlm error: -15,10')[0]).toMatchObject({ fatal: true, retryable: false });
    expect(p.parse('Maya: License was not obtained')[0]).toMatchObject({ fatal: true, retryable: false });
  });

  it('classifies render failures (CGRU maya.py / redshift.py, Deadline)', () => {
    const p = createMayaParser(base);
    expect(p.parse('Frame rendering aborted.')[0]).toMatchObject({ type: 'error', fatal: true, retryable: true });
    expect(p.parse('No devices found. Aborting rendering.')[0]).toMatchObject({ type: 'error', fatal: true, retryable: false });
    expect(p.parse('// Error: file: /x/y.mel line 12: (kFailure): Unexpected Internal Failure')[0]).toMatchObject({
      type: 'error',
      fatal: false,
      retryable: true,
    });
    expect(p.parse('[mtoa] Failed batch render')[0]).toMatchObject({ fatal: true });
  });

  it('ignores the scene-load chatter (coalition issue 3)', () => {
    expect(createMayaParser(base).parse('Result: //222.31.72.37/AniGrp2/Project/scenes/chris/rendering_test.ma')).toEqual([]);
  });
});
