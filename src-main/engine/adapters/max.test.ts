/**
 * 3ds Max cannot run here (Windows only). Flags: CGRU afjob.py (`3dsmaxcmd s.max -start: -end:
 * -nthFrame: -v:5 -continueOnError -showRFW:0 -cam: -batchrender:`), Autodesk 3ds Max 2012/2015
 * help "3dsmaxcmd" (-outputName:, the colon may be a space or '=', verbosity 5 prints frame
 * completion). Lines: CGRU max.py (`Frame N completed`, `progr: NN% rendered`,
 * `Error occured while rendering job.`), Deadline 10 (`Frame N assigned`).
 */
import { describe, expect, it } from 'vitest';
import type { RenderChunk } from './adapter';
import { createMaxParser, maxAdapter } from './max';

const base: RenderChunk = {
  scene: 'C:\\jobs\\arch\\lobby_v09.max',
  frames: [0, 5, 10],
  output: 'D:/renders/lobby/lobby####.exr',
  device: { kind: 'cpu', threads: 32 },
  overrides: { camera: 'Cam Lobby 01' },
};

describe('maxAdapter.buildCommand', () => {
  it('renders the run with verbose frame reports and the output name Max numbers itself', () => {
    expect(maxAdapter.buildCommand(base, 'C:\\Program Files\\Autodesk\\3ds Max 2025\\3dsmaxcmd.exe')).toEqual({
      file: 'C:\\Program Files\\Autodesk\\3ds Max 2025\\3dsmaxcmd.exe',
      args: [
        'C:\\jobs\\arch\\lobby_v09.max',
        '-start:0',
        '-end:10',
        '-nthFrame:5',
        '-v:5',
        '-continueOnError',
        '-showRFW:0',
        '-cam:Cam Lobby 01',
        '-outputName:D:/renders/lobby/lobby.exr',
      ],
    });
  });

  it('renders a batch render view on a GPU slot seeing only its GPU', () => {
    const chunk: RenderChunk = { ...base, frames: [3], output: null, device: { kind: 'gpu', index: 0 }, overrides: { layer: 'Night' } };
    expect(maxAdapter.buildCommand(chunk, '3dsmaxcmd')).toEqual({
      file: '3dsmaxcmd',
      args: ['C:\\jobs\\arch\\lobby_v09.max', '-start:3', '-end:3', '-nthFrame:1', '-v:5', '-continueOnError', '-showRFW:0', '-batchrender:Night'],
      env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: '0' },
    });
  });

  it('accepts name####.ext and expects Max’s 4-digit numbering', () => {
    expect(maxAdapter.validate!({ scene: 'a.max', output: 'D:/r/a_####.png', overrides: {} })).toBeNull();
    expect(maxAdapter.validate!({ scene: 'a.max', output: 'D:/r/a.######.png', overrides: {} })).toMatch(/4-digit/);
    expect(maxAdapter.expectedOutput(base, 5)).toBe('D:/renders/lobby/lobby0005.exr');
  });
});

describe('3ds Max output parser', () => {
  it('follows assigned and completed frames and per-frame progress', () => {
    const p = createMaxParser(base);
    expect(p.parse('Frame 5 assigned')).toEqual([{ type: 'frame-start', frame: 5 }]);
    expect(p.parse('progr: 42% rendered')).toEqual([{ type: 'progress', frame: 5, fraction: 0.42 }]);
    expect(p.parse('Frame 5 completed')).toEqual([{ type: 'frame-saved', frame: 5, path: 'D:/renders/lobby/lobby0005.exr' }]);
  });

  it('takes a completion number outside the chunk as a count', () => {
    const p = createMaxParser({ ...base, output: null });
    expect(p.parse('Frame 1 completed')).toEqual([{ type: 'progress', frame: 0, fraction: 1 }]);
    expect(p.parse('Frame 2 completed')).toEqual([{ type: 'progress', frame: 5, fraction: 1 }]);
  });

  it('fails on the job error line (CGRU max.py, its spelling)', () => {
    expect(createMaxParser(base).parse('Error occured while rendering job.')[0]).toMatchObject({ type: 'error', fatal: true, retryable: true });
  });
});
