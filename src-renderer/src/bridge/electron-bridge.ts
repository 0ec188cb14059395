import type { SpoolBridge } from '../../../src-preload/contract';
import type { ConnectionInfo, UiBridge } from './types';

/** IPC to the own main process cannot drop, so the connection is always open. */
export function wrapPreloadBridge(spool: SpoolBridge): UiBridge {
  const info: ConnectionInfo = { state: 'open', retryAt: null, generation: 1 };
  return {
    kind: 'electron',
    invoke: (command, input) => spool.invoke(command, input),
    on: (event, listener) => spool.on(event, listener),
    connection: () => info,
    onConnection: () => () => {},
    reconnectNow: () => {},
  };
}
