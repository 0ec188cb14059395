import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, Events } from '../../../src-preload/contract';
import { setBridge, type ConnectionInfo, type UiBridge } from '../bridge';
import { startEventPump } from './event-pump';
import { useUi } from './ui-store';

/** A transport driven by the test: events and connection changes arrive when the test says so. */
function fakeBridge(initial: ConnectionInfo) {
  const listeners = new Map<EventName, ((payload: unknown) => void)[]>();
  const connectionListeners: ((info: ConnectionInfo) => void)[] = [];
  const invoked: string[] = [];
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
      return { ok: true, value: [] } as never;
    },
  };
  return {
    bridge,
    invoked,
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
});
