import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 built for Electron's ABI lives in native/electron/ beside the app (see
 * scripts/build-electron-native.mjs); node_modules keeps the Node build for the CLI and tests.
 * Packaged, the .node file is unpacked out of app.asar, since a native module cannot load from it.
 */
export function electronSqliteBinding(appPath: string): string | null {
  const inAsar = path.join(appPath, 'native', 'electron', 'better_sqlite3.node');
  const unpacked = inAsar.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  for (const candidate of [unpacked, inAsar]) if (existsSync(candidate)) return candidate;
  return null;
}
