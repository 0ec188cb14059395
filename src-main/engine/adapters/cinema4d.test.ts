/**
 * Cinema 4D cannot run here. Flags: CGRU afjob.py and deadline-cloud-for-cinema-4d
 * (`Commandline -nogui -render s.c4d -frame S E B -oimage prefix -take T`); Deadline 10's
 * Cinema4D.py (step only when enabled, -threads N, -redshift-gpu N, and its stdout handlers:
 * `Rendering frame N at`, `Progress: N%`, `Rendering successful`, the error and licence lines).
 * CGRU c4d.py: `Progress: \d+%`, `Rendering frame \d+`, `Error rendering project`,
 * `Files cannot be written - please check output paths!`.
 */
import { describe, expect, it } from 'vitest';
import type { RenderChunk } from './adapter';
import { cinema4dAdapter, createCinema4dParser } from './cinema4d';

const base: RenderChunk = {
  scene: 'C:/jobs/spot/spot_v04.c4d',
  frames: [0, 1, 2, 3],
  output: 'D:/renders/spot/beauty_####.png',
  device: { kind: 'cpu', threads: 16 },
  overrides: {},
};

describe('cinema4dAdapter.buildCommand', () => {
  it('renders the range headless with a thread count and an image prefix', () => {
    expect(cinema4dAdapter.buildCommand(base, 'C:/Program Files/Maxon Cinema 4D 2024/Commandline.exe')).toEqual({
      file: 'C:/Program Files/Maxon Cinema 4D 2024/Commandline.exe',
      args: ['-nogui', '-render', 'C:/jobs/spot/spot_v04.c4d', '-frame', '0', '3', '-threads', '16', '-oimage', 'D:/renders/spot/beauty_'],
    });
  });

  it('adds the step, the take and the Redshift GPU', () => {
    const chunk: RenderChunk = { ...base, frames: [10, 12, 14], output: null, device: { kind: 'gpu', index: 2 }, overrides: { layer: 'Main/Night' } };
    expect(cinema4dAdapter.buildCommand(chunk, 'Commandline')).toEqual({
      file: 'Commandline',
      args: ['-nogui', '-render', 'C:/jobs/spot/spot_v04.c4d', '-frame', '10', '14', '2', '-take', 'Main/Night', '-redshift-gpu', '2'],
      env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID' },
    });
  });

  it('accepts only prefix####.ext outputs and expects the 4-digit frame there', () => {
    expect(cinema4dAdapter.validate!({ scene: '/a.c4d', output: '/r/a_####.png', overrides: {} })).toBeNull();
    expect(cinema4dAdapter.validate!({ scene: '/a.c4d', output: '/r/a_##.png', overrides: {} })).toMatch(/####/);
    expect(cinema4dAdapter.validate!({ scene: '/a.c4d', output: '/r/a.####', overrides: {} })).toMatch(/####/);
    expect(cinema4dAdapter.expectedOutput(base, 3)).toBe('D:/renders/spot/beauty_0003.png');
  });
});

describe('Cinema 4D output parser', () => {
  it('follows frames: the next one starting means the last was written (Deadline handlers)', () => {
    const p = createCinema4dParser(base);
    expect(p.parse('Rendering frame 0 at 12:00:01')).toEqual([{ type: 'frame-start', frame: 0 }]);
    expect(p.parse('Progress: 45%')).toEqual([{ type: 'progress', frame: 0, fraction: 0.45 }]);
    expect(p.parse('Rendering Phase: Finalize')).toEqual([]);
    expect(p.parse('Rendering frame 1 at 12:00:09')).toEqual([
      { type: 'frame-saved', frame: 0, path: 'D:/renders/spot/beauty_0000.png' },
      { type: 'frame-start', frame: 1 },
    ]);
    expect(p.parse('Rendering successful: 17.2 sec.')).toEqual([
      { type: 'frame-saved', frame: 1, path: 'D:/renders/spot/beauty_0001.png' },
    ]);
  });

  it('takes the Redshift frame line once (Deadline: `Rendering frame \\d+ \\((\\d+)/(\\d+)\\)`)', () => {
    const p = createCinema4dParser({ ...base, output: null });
    expect(p.parse('Rendering frame 2 (1/2)')).toEqual([{ type: 'frame-start', frame: 2 }]);
    expect(p.parse('Rendering frame 2 at 12:00:01')).toEqual([]);
    expect(p.parse('Rendering frame 3 (2/2)')).toEqual([
      { type: 'progress', frame: 2, fraction: 1 },
      { type: 'frame-start', frame: 3 },
    ]);
  });

  it('fails at the licence prompt instead of waiting on it (deadline-cloud-for-cinema-4d PR 530)', () => {
    const p = createCinema4dParser(base);
    expect(p.parse('Enter RLM Settings (ENTER to keep input):')[0]).toMatchObject({ type: 'error', fatal: true, retryable: false });
    expect(p.parse('No available licenses to choose.')[0]).toMatchObject({ fatal: true, retryable: false });
  });

  it('classifies the failures Deadline and CGRU look for', () => {
    const p = createCinema4dParser(base);
    expect(p.parse('Files cannot be written - please check output paths!')[0]).toMatchObject({ fatal: true, retryable: true });
    expect(p.parse('Error rendering project C:/jobs/spot/spot_v04.c4d')[0]).toMatchObject({ fatal: true, retryable: true });
    expect(p.parse('Project not found C:/jobs/spot/spot_v04.c4d')[0]).toMatchObject({ fatal: true, retryable: false });
    expect(p.parse('Asset missing: tex/wood.jpg')[0]).toMatchObject({ fatal: true, retryable: false });
  });
});
