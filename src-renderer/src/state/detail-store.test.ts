import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRecord, FrameRecord, JobDetail, JobSummary, TaskRecord } from '../../../src-main/engine/types';
import { setBridge, type UiBridge } from '../bridge';
import { useDetail } from './detail-store';

const frame = (n: number, state: FrameRecord['state'] = 'running'): FrameRecord => ({ jobId: 1, frame: n, taskId: 7, state, output: null, reason: null, renderMs: null, attemptId: null });
const task = (id: number, state: TaskRecord['state'] = 'running') => ({ id, jobId: 1, state }) as TaskRecord;
const attempt = (id: number, endedAt: number | null = null) => ({ id, taskId: 7, endedAt }) as AttemptRecord;

/** An engine answering jobs.get from what the test sets, recording each request. */
function fakeEngine(initial: Omit<JobDetail, 'job'>) {
  const asked: unknown[] = [];
  const state = { ...initial };
  const bridge: UiBridge = {
    kind: 'browser',
    connection: () => ({ state: 'open', retryAt: null, generation: 1 }),
    onConnection: () => () => {},
    reconnectNow() {},
    on: () => () => {},
    async invoke(command, input) {
      if (command !== 'jobs.get') throw new Error(`unexpected ${command}`);
      asked.push(input);
      const lean = (input as { frames?: boolean }).frames === false;
      const detail: JobDetail = { job: { id: 1 } as JobSummary, ...state, frames: lean ? [] : state.frames, ...(lean ? { framesOmitted: true as const } : {}) };
      return { ok: true, value: detail } as never;
    },
  };
  setBridge(bridge);
  return { asked, state };
}

afterEach(() => useDetail.getState().open(null));

describe('job detail store', () => {
  it('looks again without frames while frame events keep them, and with them when the chunks change', async () => {
    const engine = fakeEngine({ tasks: [task(7)], attempts: [attempt(1)], frames: [frame(1), frame(2), frame(3)] });
    useDetail.getState().open(1);
    await useDetail.getState().refresh();
    expect(useDetail.getState().frames.size).toBe(3);

    useDetail.getState().applyBatch({ job: null, removed: false, progress: [], frames: [{ jobId: 1, frame: 2, state: 'done', output: '/o/2.png', renderMs: 40 }] });
    const afterEvents = useDetail.getState().frames;
    expect(afterEvents.get(2)).toMatchObject({ state: 'done', output: '/o/2.png', renderMs: 40, taskId: 7 });

    engine.asked.length = 0;
    await useDetail.getState().refresh({ frames: false });
    expect(engine.asked).toEqual([{ id: 1, frames: false }]);
    // The frames are the ones the events made, not an empty list.
    expect(useDetail.getState().frames).toBe(afterEvents);

    // The attempt ended (a failure reason, frames not reached): frame events do not say that, so the frames come too.
    engine.state.attempts = [attempt(1, 1000)];
    engine.state.frames = [frame(1, 'done'), frame(2, 'done'), { ...frame(3, 'failed'), reason: 'crashed' }];
    engine.asked.length = 0;
    await useDetail.getState().refresh({ frames: false });
    expect(engine.asked).toEqual([{ id: 1, frames: false }, { id: 1 }]);
    expect(useDetail.getState().frames.get(3)).toMatchObject({ state: 'failed', reason: 'crashed' });
  });
});
