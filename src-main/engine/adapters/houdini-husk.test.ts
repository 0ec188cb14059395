/**
 * husk cannot run here. Flags: SideFX husk page (--engine xpu|cpu, --version, -c/--camera,
 * -s/--settings, -p/--pixel-samples, -o with $F4); --frame/--frame-count/--frame-inc from a public
 * husk command line (gitlab 3Delight/HydraNSI issue 35) and the deadline-cloud-samples husk job
 * (-n = end - start + 1); -j/--threads from Autodesk/arnold-usd issue 1077; --make-output-path
 * from a public Karma command-line guide (deborahrfowler.com).
 */
import { describe, expect, it } from 'vitest';
import type { RenderChunk } from './adapter';
import { createHuskParser, huskAdapter, huskOutput } from './houdini-husk';

const base: RenderChunk = {
  scene: '/shots/sh010/stage.usd',
  frames: [1001, 1003, 1005],
  output: '/renders/sh010/beauty.####.exr',
  device: { kind: 'cpu', threads: 12 },
  overrides: {},
};

describe('huskAdapter.buildCommand', () => {
  it('renders a stepped chunk on the CPU engine with husk $F4 naming', () => {
    expect(huskAdapter.buildCommand(base, '/opt/hfs20.5.370/bin/husk')).toEqual({
      file: '/opt/hfs20.5.370/bin/husk',
      args: [
        '--frame', '1001', '--frame-count', '3', '--frame-inc', '2',
        '--engine', 'cpu', '-j', '12',
        '--output', '/renders/sh010/beauty.$F4.exr', '--make-output-path',
        '/shots/sh010/stage.usd',
      ],
    });
  });

  it('puts a GPU slot on Karma XPU, seeing only its GPU, with camera, settings and samples', () => {
    const chunk: RenderChunk = {
      ...base,
      frames: [7],
      output: null,
      device: { kind: 'gpu', index: 1 },
      overrides: { camera: '/cameras/shotcam', layer: '/Render/rendersettings_beauty', samples: 64 },
    };
    expect(huskAdapter.buildCommand(chunk, 'husk')).toEqual({
      file: 'husk',
      args: [
        '--frame', '7', '--frame-count', '1', '--frame-inc', '1',
        '--engine', 'xpu',
        '--camera', '/cameras/shotcam', '--settings', '/Render/rendersettings_beauty', '--pixel-samples', '64',
        '/shots/sh010/stage.usd',
      ],
      env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: '1' },
    });
  });

  it('counts every frame of a covering run when a retry lost its middle frame', () => {
    const args = huskAdapter.buildCommand({ ...base, frames: [1, 2, 4] }, 'husk').args;
    expect(args.slice(0, 6)).toEqual(['--frame', '1', '--frame-count', '4', '--frame-inc', '1']);
  });

  it('maps # runs to husk frame variables', () => {
    expect(huskOutput('/r/a.####.exr')).toBe('/r/a.$F4.exr');
    expect(huskOutput('/r/a_#.exr')).toBe('/r/a_$F.exr');
    expect(huskOutput('/r/a.exr')).toBeNull();
  });
});

describe('husk expectedOutput and validate', () => {
  it('expects the frame where $F4 puts it', () => {
    expect(huskAdapter.expectedOutput(base, 1003)).toBe('/renders/sh010/beauty.1003.exr');
    expect(huskAdapter.expectedOutput({ ...base, output: null }, 1003)).toBeNull();
  });
  it('refuses an output with no frame placeholder', () => {
    expect(huskAdapter.validate!({ scene: '/a.usd', output: '/r/a.exr', overrides: {} })).toMatch(/#/);
    expect(huskAdapter.validate!({ scene: '/a.usd', output: null, overrides: {} })).toBeNull();
  });
});

describe('husk output parser', () => {
  it('reads ALF_PROGRESS and ignores the version banner (deadline-cloud-for-houdini PR 141)', () => {
    const p = createHuskParser(base);
    expect(p.parse('[17:07:17] husk version 19.5.569')).toEqual([]);
    expect(p.parse('ALF_PROGRESS 17%')).toEqual([{ type: 'progress', frame: 1001, fraction: 0.17 }]);
  });

  it('takes an Image: line for the expected file as the frame written (CGRU karma.py IMAGE_RE)', () => {
    const p = createHuskParser(base);
    expect(p.parse('Image: /renders/sh010/beauty.1001.exr')).toEqual([
      { type: 'frame-saved', frame: 1001, path: '/renders/sh010/beauty.1001.exr' },
      { type: 'frame-start', frame: 1003 },
    ]);
    expect(p.parse('ALF_PROGRESS 50%')).toEqual([{ type: 'progress', frame: 1003, fraction: 0.5 }]);
    expect(p.parse('Image: /tex/brick.1001.rat')).toEqual([]);
  });

  it('fails on Houdini licence lines (CGRU karma.py, deadline-cloud-for-houdini)', () => {
    expect(createHuskParser(base).parse('No licenses could be found to run this application.')[0]).toMatchObject({
      type: 'error',
      fatal: true,
      retryable: false,
    });
  });

  it('fails on a file it cannot create (CGRU karma.py)', () => {
    expect(createHuskParser(base).parse('Failed to create file /renders/sh010/beauty.1001.exr')[0]).toMatchObject({
      type: 'error',
      fatal: true,
      retryable: true,
    });
  });
});
