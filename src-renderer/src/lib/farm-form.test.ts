import { describe, expect, it } from 'vitest';
import { EMPTY_FARM_DRAFT, farmDraftToInput, farmErrorTarget } from './farm-form';

describe('the Settings form for a farm profile', () => {
  it('sends what spool farm add takes, leaving empty mapping rows out', () => {
    const slurm = farmDraftToInput({ ...EMPTY_FARM_DRAFT, name: ' hpc ', sbatchArgs: '--time=60\n\n --account=x ', pathMap: [{ local: '', farm: '' }, { local: '/mnt/p', farm: '/s/p' }] });
    expect(slurm).toEqual({ rows: [1], input: { kind: 'slurm', name: 'hpc', partition: null, sbatchArgs: ['--time=60', '--account=x'], pathMap: [{ local: '/mnt/p', farm: '/s/p' }] } });
    const flamenco = farmDraftToInput({ ...EMPTY_FARM_DRAFT, kind: 'flamenco', name: 'st', url: 'http://m:8080', token: 'abc' });
    expect(flamenco.input).toEqual({ kind: 'flamenco', name: 'st', url: 'http://m:8080', pathMap: [], token: 'abc' });
    expect(farmDraftToInput({ ...EMPTY_FARM_DRAFT, kind: 'flamenco', token: '  ' }).input).not.toHaveProperty('token');
  });
  it('puts main’s refusal beside the field, a mapping’s beside the row it came from', () => {
    expect(farmErrorTarget('pathMap.0.local', [1, 3])).toBe('pathMap.1');
    expect(farmErrorTarget('sbatchArgs.2', [])).toBe('sbatchArgs');
    expect(farmErrorTarget('url', [])).toBe('url');
    expect(farmErrorTarget('farm', [])).toBe('form');
    expect(farmErrorTarget(undefined, [])).toBe('form');
  });
});
