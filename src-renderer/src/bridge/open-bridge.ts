import type { UiBridge } from './types';

/** For tests: a transport connected from the start that answers commands with `invoke` and hears no events. */
export function openBridge(invoke: UiBridge['invoke']): UiBridge {
  return {
    kind: 'browser',
    connection: () => ({ state: 'open', retryAt: null, generation: 1 }),
    onConnection: () => () => {},
    reconnectNow() {},
    on: () => () => {},
    invoke,
  };
}
