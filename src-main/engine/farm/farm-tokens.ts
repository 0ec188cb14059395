import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../private-files';

/**
 * A farm's token lives in a file of its own beside the store, readable by this user only
 * (folder 0700, file 0600): never in the store's columns, never in a message or a log. The store
 * keeps only the file's path (farm_profiles.secret_file); backends.ts reads it when it calls the farm.
 */
export function tokenFileOf(dataDir: string, farm: string): string {
  return path.join(dataDir, 'farm-tokens', `${farm}.token`);
}

/** Writes the token whole or not at all (a temp file renamed over the old one). */
export function writeFarmToken(dataDir: string, farm: string, token: string): string {
  const file = tokenFileOf(dataDir, farm);
  makePrivateDir(path.dirname(file));
  const temp = `${file}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    // The mode is given at creation: the token is never readable by others, not even for a moment.
    writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return file;
}

export function removeFarmToken(file: string | null): void {
  if (file) rmSync(file, { force: true });
}

