import { rmSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDir, writePrivateFile } from '../private-files';

/**
 * A farm's token lives in a file of its own beside the store, readable by this user only
 * (folder 0700, file 0600): never in the store's columns, never in a message or a log. The store
 * keeps only the file's path (farm_profiles.secret_file); backends.ts reads it when it calls the farm.
 */
export function tokenFileOf(dataDir: string, farm: string): string {
  return path.join(dataDir, 'farm-tokens', `${farm}.token`);
}

export function writeFarmToken(dataDir: string, farm: string, token: string): string {
  const file = tokenFileOf(dataDir, farm);
  makePrivateDir(path.dirname(file));
  writePrivateFile(file, `${token}\n`);
  return file;
}

export function removeFarmToken(file: string | null): void {
  if (file) rmSync(file, { force: true });
}

