import { describe, expect, it } from 'vitest';
import type { FrameRecord } from '../../../../src-main/engine/types';
import { stepFrame, viewableFrames } from './frame-steps';

const rec = (frame: number, state: FrameRecord['state']): [number, FrameRecord] => [frame, { frame, state } as FrameRecord];

describe('viewer frame steps', () => {
  const order = [1, 2, 3, 4, 5];
  const frames = new Map([rec(1, 'done'), rec(2, 'failed'), rec(3, 'done'), rec(4, 'queued'), rec(5, 'done')]);
  const done = viewableFrames(order, frames);

  it('steps over frames that are not done, and stops at the ends', () => {
    expect(done).toEqual([1, 3, 5]);
    expect(stepFrame(done, order, 1, 1)).toBe(3);
    expect(stepFrame(done, order, 5, 1)).toBe(5);
    expect(stepFrame(done, order, 1, -1)).toBe(1);
  });

  it('wraps for the flipbook, and steps from a frame that is not done to its done neighbours', () => {
    expect(stepFrame(done, order, 5, 1, true)).toBe(1);
    expect(stepFrame(done, order, 1, -1, true)).toBe(5);
    expect(stepFrame(done, order, 2, 1)).toBe(3);
    expect(stepFrame(done, order, 2, -1)).toBe(1);
    expect(stepFrame(done, order, 4, 1)).toBe(5);
    expect(stepFrame([], order, 4, 1)).toBe(4);
  });
});
