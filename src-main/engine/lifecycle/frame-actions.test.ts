import { describe, expect, it } from 'vitest';
import { describeFrameAction, planFrameAction, suspendedNote, type FrameFacts } from './frame-actions';

const f = (frame: number, state: FrameFacts['state'], task: FrameFacts['task'] = { state: 'succeeded', index: 0 }): FrameFacts => ({ frame, state, task });

describe('planFrameAction', () => {
  it('requeue: done and failed frames of an ended chunk go to a new chunk; one of a chunk not started yet stays in it', () => {
    const plan = planFrameAction('requeue', [f(1, 'done'), f(2, 'failed', { state: 'failed', index: 0 }), f(3, 'failed', { state: 'waiting', index: 1 }), f(4, 'queued')]);
    expect(plan).toMatchObject({ to: 'queued', reason: null, frames: [1, 2, 3], newChunk: [1, 2] });
    expect(plan.skipped).toEqual([{ frames: '4', count: 1, why: 'already queued' }]);
  });

  it('a chunk rendering now is left alone, whatever its frames are; frames not in the job are named', () => {
    const running = { state: 'running' as const, index: 2 };
    const plan = planFrameAction('complete', [f(7, 'done', running), f(8, 'running', running), f(9, 'suspended', null)], [40, 41]);
    expect(plan.frames).toEqual([9]);
    expect(describeFrameAction(plan, 0)).toBe(
      'marked complete frame 9; frames 7,8 not marked complete: in chunk 3, which is rendering now (wait for it to end, or pause the job); frames 40,41 not marked complete: not in this job',
    );
  });

  it('suspend and resume: only what is waiting or failed is set aside, only what is suspended comes back', () => {
    expect(planFrameAction('suspend', [f(1, 'queued', null), f(2, 'failed'), f(3, 'done'), f(4, 'canceled')]).skipped).toEqual([
      { frames: '3', count: 1, why: 'already done' },
      { frames: '4', count: 1, why: 'canceled with their job (retry the job first)' },
    ]);
    expect(planFrameAction('resume', [f(1, 'suspended', null), f(2, 'queued', null)])).toMatchObject({ frames: [1], newChunk: [1] });
    expect(suspendedNote('succeeded', 4)).toBe('done with 4 suspended');
    expect(suspendedNote('running', 4)).toBeNull();
  });
});
