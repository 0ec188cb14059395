import { describe, expect, it } from 'vitest';
import { farmInfoLines } from './farm-info';

describe('farmInfoLines', () => {
  it('says what is known at each stage of a hand-off', () => {
    expect(farmInfoLines({ farm: 'lab', kind: 'slurm', handoffs: [] })).toEqual(['farm lab (slurm): not handed off yet']);
    expect(farmInfoLines({ farm: 'lab', kind: 'slurm', handoffs: [{ farmJobId: null, tag: 'spool-3-ab12cd34', elements: [], see: null }] })).toEqual([
      'farm lab (slurm): hand-off spool-3-ab12cd34 not answered by the farm yet',
    ]);
    expect(
      farmInfoLines({
        farm: 'lab',
        kind: 'slurm',
        handoffs: [
          { farmJobId: '41', tag: 't1', elements: ['41_0', '41_1'], see: 'squeue -r -j 41' },
          { farmJobId: '57', tag: 't2', elements: [], see: 'squeue -r -j 57' },
        ],
      }),
    ).toEqual(['farm lab (slurm): job 41 (41_0, 41_1) — see it there: squeue -r -j 41', 'farm lab (slurm): job 57 — see it there: squeue -r -j 57']);
  });

  it('still shows the ids when the profile was removed since', () => {
    expect(farmInfoLines({ farm: 'old', kind: null, handoffs: [{ farmJobId: '9', tag: 't', elements: ['9_0'], see: null }] })).toEqual(['farm old (profile removed): job 9 (9_0)']);
  });
});
