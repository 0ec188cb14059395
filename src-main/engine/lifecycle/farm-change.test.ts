import { describe, expect, it } from 'vitest';
import { checkFarmChange, farmChangeRefusal } from './farm-change';

describe('where a job renders may change', () => {
  const queued = { id: 7, farm: null, handedTo: [] };
  it('while none of it was handed to a farm: local ↔ farm, farm A → farm B', () => {
    expect(checkFarmChange(queued, 'hpc')).toEqual({ kind: 'apply' });
    expect(checkFarmChange({ ...queued, farm: 'hpc' }, null)).toEqual({ kind: 'apply' });
    expect(checkFarmChange({ ...queued, farm: 'hpc' }, 'studio')).toEqual({ kind: 'apply' });
    expect(checkFarmChange({ ...queued, farm: 'hpc' }, 'hpc')).toEqual({ kind: 'noop' });
    expect(farmChangeRefusal(queued)).toBeNull();
  });
  it('not once a hand-off is stored, answered or not; staying put is no change', () => {
    const handed = { id: 7, farm: 'hpc', handedTo: ['hpc'] };
    const reason = 'job 7 was already handed to farm hpc: cancel it and submit it again to render elsewhere';
    expect(checkFarmChange(handed, null)).toEqual({ kind: 'refused', reason });
    expect(checkFarmChange(handed, 'studio')).toEqual({ kind: 'refused', reason });
    expect(checkFarmChange(handed, 'hpc')).toEqual({ kind: 'noop' });
  });
});
