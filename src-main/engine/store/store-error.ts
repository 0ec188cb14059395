export type StoreErrorCode = 'newer-schema' | 'corrupt' | 'read-only' | 'busy' | 'cannot-open' | 'wal-lost';

/**
 * A store problem the user can act on; `message` says what to do. A module of its own, free of
 * SQLite, so that the data dir's lock can raise it too.
 */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
