/**
 * kick cannot run here. Flags: CGRU afjob.py and Deadline 10's Arnold.py (`kick -i f.0012.ass
 * -o out.0012.exr -dw -dp -nstdin -v 2`, `-t N`, `-nocrashpopup` on Windows,
 * `-set options.abort_on_license_fail true`); `-set options.render_device GPU|CPU` as a public kick
 * wrapper passes it. Lines: Autodesk/arnold-usd issue 1875 (`| render done in 0:00.006`,
 * ``[driver_exr] writing file `...'``, `WARNING | [kick] render aborted due to earlier errors`),
 * CGRU arnold.py (`|   45% done - 23 rays/pixel`).
 */
import { describe, expect, it } from 'vitest';
import type { RenderChunk } from './adapter';
import { createKickParser, kickAdapter } from './kick';

const base: RenderChunk = {
  scene: '/ass/sh010/beauty.####.ass',
  frames: [12],
  output: '/renders/sh010/beauty.####.exr',
  device: { kind: 'cpu', threads: 8 },
  overrides: {},
};
const windowsOnly = process.platform === 'win32' ? ['-nocrashpopup'] : [];

describe('kickAdapter.buildCommand', () => {
  it("renders the frame's own .ass on the CPU, failing rather than watermarking without a licence", () => {
    expect(kickAdapter.buildCommand(base, '/opt/solidangle/mtoa/2024/bin/kick')).toEqual({
      file: '/opt/solidangle/mtoa/2024/bin/kick',
      args: [
        '-i', '/ass/sh010/beauty.0012.ass',
        '-o', '/renders/sh010/beauty.0012.exr',
        '-dw', '-dp', '-nstdin', '-v', '2',
        '-t', '8',
        '-set', 'options.abort_on_license_fail', 'true',
        '-set', 'options.render_device', 'CPU',
        ...windowsOnly,
      ],
    });
  });

  it('renders on its GPU only, keeping the .ass output when none is given', () => {
    const chunk: RenderChunk = { ...base, output: null, device: { kind: 'gpu', index: 3 } };
    expect(kickAdapter.buildCommand(chunk, 'kick')).toEqual({
      file: 'kick',
      args: [
        '-i', '/ass/sh010/beauty.0012.ass',
        '-dw', '-dp', '-nstdin', '-v', '2',
        '-set', 'options.abort_on_license_fail', 'true',
        '-set', 'options.render_device', 'GPU',
        ...windowsOnly,
      ],
      env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: '3' },
    });
  });

  it('wants one frame per process and a per-frame .ass pattern', () => {
    expect(kickAdapter.perFrame!({})).toBe(true);
    expect(() => kickAdapter.buildCommand({ ...base, frames: [1, 2] }, 'kick')).toThrow(/one \.ass per process/);
    expect(kickAdapter.validate!({ scene: '/ass/beauty.0012.ass', output: null, overrides: {} })).toMatch(/pattern/);
    expect(kickAdapter.validate!({ scene: '/ass/beauty.####.ass', output: null, overrides: {} })).toBeNull();
    expect(kickAdapter.expectedOutput(base, 12)).toBe('/renders/sh010/beauty.0012.exr');
  });
});

describe('kick output parser', () => {
  it('reads progress, the written file and render done', () => {
    const p = createKickParser({ ...base, output: null });
    expect(p.parse('12:34:56      32MB   |   45% done - 23 rays/pixel')).toEqual([{ type: 'progress', frame: 12, fraction: 0.45 }]);
    expect(p.parse("        | [driver_exr] writing file `/renders/x/beauty.0012.exr'")).toEqual([
      { type: 'frame-saved', frame: 12, path: '/renders/x/beauty.0012.exr' },
    ]);
    expect(p.parse('        | render done in 0:00.006')).toEqual([{ type: 'progress', frame: 12, fraction: 1 }]);
  });

  it('fails on aborted renders and licence errors', () => {
    const p = createKickParser(base);
    expect(p.parse('00:00:02   279MB WARNING | [kick] render aborted due to earlier errors')[0]).toMatchObject({
      type: 'error',
      fatal: true,
      retryable: true,
    });
    expect(p.parse('00:00:00    10MB ERROR   | [rlm] error initializing license system')[0]).toMatchObject({
      fatal: true,
      retryable: false,
    });
    expect(p.parse('00:00:01    20MB ERROR   | [texturesys] unable to open /tex/a.tx')[0]).toMatchObject({ fatal: false });
  });
});
