import { describe, expect, it } from 'vitest';
import { flamencoChunks, flamencoFrameText, framesOfTaskName } from './frames';

describe('frames as Flamenco writes them (js_globals.go)', () => {
  it('merges ascending frames: runs of three or more as a-b, two as a,b', () => {
    expect(flamencoFrameText([1, 2, 3, 4, 5])).toBe('1-5');
    expect(flamencoFrameText([1, 2])).toBe('1,2');
    expect(flamencoFrameText([10, 1, 2, 3, 7, 8, 3])).toBe('1-3,7,8,10');
  });

  it('chunks after sorting and deduplicating, as the Manager does', () => {
    expect(flamencoChunks([5, 1, 2, 3], 2)).toEqual([
      [1, 2],
      [3, 5],
    ]);
  });

  it('reads a render task name back into its frames and ignores other tasks', () => {
    expect(framesOfTaskName('render-1-3')).toEqual([1, 2, 3]);
    expect(framesOfTaskName('render-1,2')).toEqual([1, 2]);
    expect(framesOfTaskName('render-7')).toEqual([7]);
    expect(framesOfTaskName('render-1-3,5,9-10')).toEqual([1, 2, 3, 5, 9, 10]);
    expect(framesOfTaskName('preview-video')).toBeNull();
    expect(framesOfTaskName('render-')).toBeNull();
  });
});
