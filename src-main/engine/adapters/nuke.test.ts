/**
 * Nuke cannot run here. Flags: CGRU afjob.py (`nuke -x -F S-ExB -X Write1 script.nk`) and
 * Deadline 10's Nuke.py (--cont, -f "Render Full Resolution", -m threads, `--gpu <idx>` on Nuke 8+,
 * handlers for `Frame N (i of n)` and ERROR:/Error:/Eddy[ERROR]). Lines: deadline-cloud-for-nuke
 * (`Writing output/path.exr took 0.44 seconds`), its CopyCat test fake recorded from Nuke 16.0v1
 * (banner, `Frame 1 (1 of 1)`, `[18:41.54] ERROR: ...`), and a public `nuke -x` log
 * (`Writing test/test.exr took 0.21 seconds` / `Frame 1 (1 of 1)` / `Total render time: 0.21 seconds`).
 */
import { describe, expect, it } from 'vitest';
import type { RenderChunk } from './adapter';
import { createNukeParser, nukeAdapter, nukeFrameRange } from './nuke';

const base: RenderChunk = {
  scene: '/comp/sh010_comp_v007.nk',
  frames: [1001, 1002, 1003],
  output: null,
  device: { kind: 'cpu', threads: 8 },
  overrides: { layer: 'Write1' },
};

describe('nukeAdapter.buildCommand', () => {
  it('executes one Write node over the chunk at full resolution, continuing past bad frames', () => {
    expect(nukeAdapter.buildCommand(base, '/usr/local/Nuke15.1v2/Nuke15.1')).toEqual({
      file: '/usr/local/Nuke15.1v2/Nuke15.1',
      args: ['-x', '-F', '1001-1003', '-X', 'Write1', '--cont', '-f', '-m', '8', '/comp/sh010_comp_v007.nk'],
    });
  });

  it('gives a GPU slot to --gpu with its index and renders every Write node without a layer', () => {
    const chunk: RenderChunk = { ...base, frames: [10, 20, 30], device: { kind: 'gpu', index: 1 }, overrides: {} };
    expect(nukeAdapter.buildCommand(chunk, 'Nuke15.1')).toEqual({
      file: 'Nuke15.1',
      args: ['-x', '-F', '10-30x10', '--cont', '-f', '--gpu', '1', '/comp/sh010_comp_v007.nk'],
      env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID' },
    });
  });

  it('writes -F as Nuke expects it', () => {
    expect(nukeFrameRange([7])).toBe('7');
    expect(nukeFrameRange([1, 2, 3])).toBe('1-3');
    expect(nukeFrameRange([1, 5, 9])).toBe('1-9x4');
  });

  it('refuses an output path it could not apply, and expects none', () => {
    expect(nukeAdapter.validate!({ scene: '/a.nk', output: '/r/a.####.exr', overrides: {} })).toMatch(/Write node/);
    expect(nukeAdapter.validate!({ scene: '/a.nk', output: null, overrides: {} })).toBeNull();
    expect(nukeAdapter.expectedOutput(base, 1001)).toBeNull();
  });
});

describe('Nuke output parser', () => {
  it('pairs each Writing line with the Frame line after it (public nuke -x log)', () => {
    const p = createNukeParser({ ...base, frames: [1] });
    expect(p.parse('Nuke 16.0v1, 64 bit, built Feb 24 2025.')).toEqual([]);
    expect(p.parse('Writing test/test.exr took 0.21 seconds')).toEqual([]);
    expect(p.parse('Frame 1 (1 of 1)')).toEqual([
      { type: 'frame-saved', frame: 1, path: 'test/test.exr' },
      { type: 'progress', frame: 1, fraction: 1 },
    ]);
    expect(p.parse('Total render time: 0.21 seconds')).toEqual([]);
  });

  it('reports every Write node of a frame and starts the next frame', () => {
    const p = createNukeParser(base);
    expect(p.parse('Writing output/path.exr took 0.44 seconds')).toEqual([]);
    expect(p.parse('Writing /r/sh010_mattes.1001.exr took 0.12 seconds')).toEqual([]);
    expect(p.parse('Frame 1001 (1 of 3)')).toEqual([
      { type: 'frame-saved', frame: 1001, path: 'output/path.exr' },
      { type: 'frame-saved', frame: 1001, path: '/r/sh010_mattes.1001.exr' },
      { type: 'progress', frame: 1001, fraction: 1 },
      { type: 'frame-start', frame: 1002 },
    ]);
  });

  it('reports ERROR lines without failing the chunk by itself (CopyCat fake, Deadline handlers)', () => {
    expect(createNukeParser(base).parse('[18:41.54] ERROR: CopyCat1: No valid or writable data directory is selected.')).toEqual([
      {
        type: 'error',
        message: '[18:41.54] ERROR: CopyCat1: No valid or writable data directory is selected.',
        retryable: true,
        fatal: false,
      },
    ]);
    expect(createNukeParser(base).parse('Eddy[ERROR] - Out of GPU memory')[0]).toMatchObject({ fatal: false });
  });

  it('fails on an invalid licence key (CGRU nuke.py)', () => {
    expect(createNukeParser(base).parse('Invalid nuke_r license key.')[0]).toMatchObject({ fatal: true, retryable: false });
  });
});
