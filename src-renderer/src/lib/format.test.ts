import { describe, expect, it } from 'vitest';
import { countOf } from './format';

describe('countOf', () => {
  it('agrees the noun with the count', () => {
    expect(countOf(1, 'job')).toBe('1 job');
    expect(countOf(0, 'job')).toBe('0 jobs');
    expect(countOf(2, 'more row')).toBe('2 more rows');
    expect(countOf(1204, 'frame')).toBe(`${(1204).toLocaleString()} frames`);
  });
});
