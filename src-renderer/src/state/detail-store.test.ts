import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRecord, FrameRecord, JobDetail, JobSummary, TaskRecord } from '../../../src-main/engine/types';
import { setBridge, type UiBridge } from '../bridge';
import { openBridge } from '../bridge/open-bridge';
import { useDetail } from './detail-store';

const frame = (n: number, state: FrameRecord['state'] = 'running'): FrameRecord => ({ jobId: 1, frame: n, taskId: 7, state, output: null, reason: null, renderMs: null, attemptId: null });
const task = (id: number, state: TaskRecord['state'] = 'running') => ({ id, jobId: 1, state }) as TaskRecord;
const attempt = (id: number, endedAt: number | null = null) => ({ id, taskId: 7, endedAt }) as AttemptRecord;

/**
 * An engine answering jobs.get from what the test sets, recording each request. With `revs`
 * (frame → its revision) it answers `framesSince` as the engine does; without, as an engine
 * from before frame revisions.
 */
function fakeEngine(initial: Omit<JobDetail, 'job'> & { revs?: Map<number, number> }) {
  const asked: unknown[] = [];
  const state = { ...initial };
  const bridge: UiBridge = openBridge(async (command, input) => {
    if (command !== 'jobs.get') throw new Error(`unexpected ${command}`);
    asked.push(input);
    const { frames: wanted, framesSince } = input as { frames?: boolean; framesSince?: number };
    const lean = wanted === false;
    const { revs, ...rest } = state;
    const revOf = (f: FrameRecord): number => revs?.get(f.frame) ?? 0;
    const frames = lean ? [] : framesSince === undefined ? state.frames : state.frames.filter((f) => revOf(f) > framesSince);
    const detail: JobDetail = {
      job: { id: 1, frameCount: state.frames.length } as JobSummary,
      ...rest,
      frames,
      ...(revs ? { framesRev: Math.max(0, ...revs.values()) } : {}),
      ...(framesSince !== undefined ? { framesSince } : {}),
      ...(lean ? { framesOmitted: true as const } : {}),
    };
    return { ok: true, value: detail } as never;
  });
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

  it("fetches only the frames changed since the revision it holds, and all of them when the job's frames changed", async () => {
    const revs = new Map([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    const engine = fakeEngine({ tasks: [task(7)], attempts: [attempt(1)], frames: [frame(1), frame(2), frame(3)], revs });
    useDetail.getState().open(1);
    await useDetail.getState().refresh();
    const order = useDetail.getState().frameOrder;
    expect(useDetail.getState().framesRev).toBe(0);

    // The attempt ended; frame 3 failed (rev 1) after frame 2 was done by an event the view saw.
    engine.state.attempts = [attempt(1, 1000)];
    engine.state.frames = [frame(1), frame(2, 'done'), { ...frame(3, 'failed'), reason: 'crashed' }];
    revs.set(3, 1);
    engine.asked.length = 0;
    await useDetail.getState().refresh({ frames: false });
    expect(engine.asked).toEqual([{ id: 1, frames: false }, { id: 1, framesSince: 0 }]);
    expect(useDetail.getState().frames.get(3)).toMatchObject({ state: 'failed', reason: 'crashed' });
    expect(useDetail.getState().framesRev).toBe(1);
    expect(useDetail.getState().frameOrder).toBe(order);

    // A refresh asked while all the frames are being read waits for that read, then asks what changed since.
    engine.asked.length = 0;
    const full = useDetail.getState().refresh({ full: true });
    await useDetail.getState().refresh();
    await full;
    expect(engine.asked).toEqual([{ id: 1 }, { id: 1, framesSince: 1 }]);

    // A modify added frame 4: a frame the view does not hold means a full read.
    engine.state.frames = [...engine.state.frames, frame(4, 'queued')];
    revs.set(4, 2);
    engine.asked.length = 0;
    await useDetail.getState().refresh();
    expect(engine.asked).toEqual([{ id: 1, framesSince: 1 }, { id: 1 }]);
    expect(useDetail.getState().frameOrder).toEqual([1, 2, 3, 4]);
    expect(useDetail.getState().framesRev).toBe(2);
  });
});
