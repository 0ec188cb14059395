import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../src-main/engine/types';
import { jobNotice, noticeWatcher, queueGlance } from './job-feedback';

const job = (over: Partial<JobSummary>): JobSummary =>
  ({ id: 1, name: 'shot_010', status: 'running', framesDone: 0, framesFailed: 0, frameCount: 10, reason: null, finishedAt: null, ...over }) as JobSummary;

describe('what to tell the user about a job change', () => {
  it('tells a success quietly and a failure with its reason, once per change', () => {
    expect(jobNotice('running', job({ status: 'succeeded', framesDone: 10 }))).toEqual({
      jobId: 1,
      outcome: 'succeeded',
      title: 'shot_010 finished',
      body: '10 of 10 frames rendered.',
      silent: true,
    });
    const failed = jobNotice('running', job({ status: 'failed', framesFailed: 1, reason: 'Blender quit with exit code 1' }));
    expect(failed).toMatchObject({ outcome: 'failed', title: 'shot_010 failed', body: '1 frame failed: Blender quit with exit code 1', silent: false });
    expect(jobNotice('running', job({ status: 'failed', framesFailed: 3 }))?.body).toBe('3 frames failed.');
    expect(jobNotice('failed', job({ status: 'failed' }))).toBeNull();
    for (const status of ['queued', 'running', 'paused', 'canceled', 'blocked'] as const) expect(jobNotice('running', job({ status }))).toBeNull();
  });

  it('stays quiet about jobs already finished when watching starts', () => {
    const notices = noticeWatcher([job({ id: 1, status: 'failed' }), job({ id: 2, status: 'running' })]);
    expect(notices(job({ id: 1, status: 'failed' }))).toBeNull();
    expect(notices(job({ id: 2, status: 'succeeded' }))?.outcome).toBe('succeeded');
    expect(notices(job({ id: 2, status: 'succeeded' }))).toBeNull();
    // Retried and failed again: told again.
    expect(notices(job({ id: 1, status: 'running' }))).toBeNull();
    expect(notices(job({ id: 1, status: 'failed' }))?.outcome).toBe('failed');
  });
});

describe('the queue at a glance (tab title, favicon badge)', () => {
  it('shows running work with its progress, failures since the page opened first', () => {
    expect(queueGlance([], 0)).toMatchObject({ title: 'Spool', badge: null, progress: null });
    const running = [job({ id: 1, framesDone: 4 }), job({ id: 2, framesDone: 5 }), job({ id: 3, status: 'queued', framesDone: 0 }), job({ id: 4, status: 'succeeded', framesDone: 10 })];
    expect(queueGlance(running, 0)).toMatchObject({ title: '▶ 2 running · 30% — Spool', badge: 'running', running: 2 });
    const withFailure = [...running, job({ id: 5, status: 'failed', finishedAt: 2_000 }), job({ id: 6, status: 'failed', finishedAt: 500 })];
    expect(queueGlance(withFailure, 1_000)).toMatchObject({ title: '✖ 1 failed · ▶ 2 running · 30% — Spool', badge: 'failed', failed: 1 });
    expect(queueGlance([job({ id: 5, status: 'failed', finishedAt: 2_000 })], 1_000).title).toBe('✖ 1 failed — Spool');
  });
});
