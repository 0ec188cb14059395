import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventName, Events } from '../../../src-preload/contract';
import { setBridge, type ConnectionInfo, type UiBridge } from '../bridge';
import { startEventPump } from './event-pump';
import { useLog } from './log-store';
import { useUi } from './ui-store';

/** A transport driven by the test: events and connection changes arrive when the test says so. */
function fakeBridge(initial: ConnectionInfo) {
  const listeners = new Map<EventName, ((payload: unknown) => void)[]>();
  const connectionListeners: ((info: ConnectionInfo) => void)[] = [];
  const invoked: string[] = [];
  /** What a command answers, when it is not an empty list; may emit events before it does. */
  const answers = new Map<string, () => Promise<unknown>>();
  let info = initial;
  const bridge: UiBridge = {
    kind: 'browser',
    connection: () => info,
    onConnection(listener) {
      connectionListeners.push(listener);
      return () => {};
    },
    reconnectNow() {},
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (payload: unknown) => void]);
      return () => {};
    },
    async invoke(command) {
      invoked.push(command);
      const answer = answers.get(command);
      return { ok: true, value: answer ? await answer() : [] } as never;
    },
  };
  return {
    bridge,
    invoked,
    answers,
    emit<E extends EventName>(event: E, payload: Events[E]) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    connect(next: ConnectionInfo) {
      info = next;
      for (const listener of connectionListeners) listener(next);
    },
  };
}

/** Outside a visible page the pump flushes on a 250 ms timer. */
const flushed = () => new Promise((resolve) => setTimeout(resolve, 300));

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  useUi.getState().setNewJobOpen(false);
});

describe('event pump', () => {
  it('fetches the job list once the connection opens, not before as well', async () => {
    const fake = fakeBridge({ state: 'connecting', retryAt: null, generation: 0 });
    setBridge(fake.bridge);
    stop = startEventPump(fake.bridge);
    await flushed();
    expect(fake.invoked).toEqual([]);
    fake.connect({ state: 'open', retryAt: null, generation: 1 });
    await flushed();
    expect(fake.invoked.filter((c) => c === 'jobs.list')).toHaveLength(1);
  });

  it('fetches at once when the bridge is connected from the start (Electron IPC)', async () => {
    const fake = fakeBridge({ state: 'open', retryAt: null, generation: 1 });
    setBridge(fake.bridge);
    stop = startEventPump(fake.bridge);
    await flushed();
    expect(fake.invoked.filter((c) => c === 'jobs.list')).toHaveLength(1);
  });

  it('opens the new-job form on a scene handed over from outside (openScene)', async () => {
    const fake = fakeBridge({ state: 'open', retryAt: null, generation: 1 });
    setBridge(fake.bridge);
    stop = startEventPump(fake.bridge);
    fake.emit('openScene', { scene: '/shots/sh010 v2/lighting.blend' });
    await flushed();
    expect(useUi.getState()).toMatchObject({ newJobOpen: true, newJobScene: '/shots/sh010 v2/lighting.blend' });
  });

  it('takes in log lines still queued for the next frame before a log read answers, so none shows twice', async () => {
    const fake = fakeBridge({ state: 'open', retryAt: null, generation: 1 });
    setBridge(fake.bridge);
    stop = startEventPump(fake.bridge);
    const stored = ['--- attempt 1 of job 7 · chunk 1 (frames 1-3)', 'Fra:1 Sample 4/4', "Saved: '/out/f.0001.png'", 'Error: shader "glass_v2"'];
    // The engine wrote the last two lines to the file and sent them live; they wait for the pump's
    // next frame when the read's answer comes (the race a flood's re-read hit in the e2e queue test).
    fake.answers.set('jobs.log', async () => {
      fake.emit('log', [{ jobId: 7, attemptId: 41, lines: [{ stream: 'stdout', text: stored[2]! }, { stream: 'stdout', text: stored[3]! }] }]);
      return { text: stored.join('\n') + '\n', attempts: [{ id: 41, number: 1, taskId: 5, reason: null, logPath: '/logs/41.log' }], ranges: [], skippedBytes: 0, more: false };
    });
    useLog.getState().open(7);
    await vi.waitFor(() => expect(useLog.getState().loading).toBe(false));
    await flushed();
    expect(useLog.getState().lines.toArray().map((line) => line.text)).toEqual(stored);
    useLog.getState().open(null);
  });
});
