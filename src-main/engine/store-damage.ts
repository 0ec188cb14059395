import { StoreError } from './store';

/**
 * SQLite found a damaged page while the engine ran (a disk fault, a copy taken mid-write). Every
 * further read of that page fails the same way, so retrying cannot help and writing on risks more:
 * the engine stops and says how to get the queue back. Null for any other error.
 */
export function storeDamage(error: unknown, file: string): StoreError | null {
  const code = (error as { code?: unknown } | null)?.code;
  // The store already translates some of its failures (StoreError 'corrupt'); its message names the file.
  const translated = error instanceof StoreError && code === 'corrupt';
  if (!translated && (typeof code !== 'string' || !/^SQLITE_(CORRUPT|NOTADB)/.test(code))) return null;
  const detail = translated ? '' : ` (${error instanceof Error ? error.message : String(error)})`;
  return new StoreError(
    'corrupt',
    `the store ${file} is damaged${detail}; the engine stopped so that nothing more is written to it. ` +
      `To recover: stop every Spool that uses it, run \`sqlite3 ${file} .recover | sqlite3 ${file}.recovered\`, ` +
      `move ${file} (and its -wal and -shm files) aside and put ${file}.recovered in its place. ` +
      `Or move it aside to start with an empty queue.`,
  );
}
