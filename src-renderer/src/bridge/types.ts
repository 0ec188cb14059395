import type { CommandError, CommandName, CommandInput, CommandOutput, SpoolBridge } from '../../../src-preload/contract';

export type { CommandError, CommandName, CommandInput, CommandOutput, SpoolBridge };

/**
 * `connecting`: first attempt, nothing shown yet; `open`: events flow; `reconnecting`: lost, retrying
 * (the UI shows a banner and refetches when it comes back); `unauthorized`: the token was refused,
 * retrying cannot help.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface ConnectionInfo {
  state: ConnectionState;
  /** When the next reconnect attempt happens (ms epoch), while reconnecting. */
  retryAt: number | null;
  /** Increments on each successful (re)connection, so views know to refetch. */
  generation: number;
}

/** The contract's bridge plus what only a network transport has: a connection that can drop. */
export interface UiBridge extends SpoolBridge {
  readonly kind: 'electron' | 'browser';
  connection(): ConnectionInfo;
  onConnection(listener: (info: ConnectionInfo) => void): () => void;
  /** Browser mode only: try now instead of waiting out the backoff. */
  reconnectNow(): void;
}
