import { constants } from 'node:fs';
import { access, opendir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../errors';
import type { DirEntry, DirListing } from '../types';

export const MAX_ENTRIES = 2000;
/** A folder with a million files is read this far at most; what matches in it is listed. */
const MAX_SCANNED = 50_000;

/** Absolute, and no `..` segment: what is listed is the folder asked for, never one reached by walking up. */
export function checkBrowsePath(dir: string): string | null {
  if (!path.isAbsolute(dir)) return 'give an absolute folder path';
  if (dir.split(/[\\/]+/).includes('..')) return 'a folder path may not contain .. segments';
  return null;
}

/**
 * One folder's sub-folders and scene files (by extension), for the scene browser. Only what the
 * user can read: the folder itself must be readable, sub-folders that are not are left out.
 * Hidden entries (a leading dot) are left out unless asked for. Never more than the folder's own
 * entries: names, not contents, and no path outside `dir`.
 */
export async function listDir(asked: string | undefined, extensions: readonly string[], options: { hidden?: boolean } = {}): Promise<DirListing> {
  const raw = asked ?? os.homedir();
  const problem = checkBrowsePath(raw);
  if (problem) throw new InputError('dir', problem);
  const dir = path.resolve(raw);
  const exts = new Set(extensions.map((e) => e.toLowerCase()));

  let handle;
  try {
    handle = await opendir(dir);
  } catch (error) {
    throw folderError(dir, error);
  }
  const candidates: { name: string; kind: 'dir' | 'scene' | 'link' }[] = [];
  let scanned = 0;
  for await (const entry of handle) {
    if (++scanned > MAX_SCANNED) break;
    if (!options.hidden && entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) candidates.push({ name: entry.name, kind: 'dir' });
    else if (entry.isSymbolicLink()) candidates.push({ name: entry.name, kind: 'link' });
    else if (entry.isFile() && exts.has(path.extname(entry.name).toLowerCase())) candidates.push({ name: entry.name, kind: 'scene' });
  }
  // for-await closes the handle when it ends early too.

  const resolved = await Promise.all(candidates.map((c) => describe(dir, c, exts)));
  const entries = resolved.filter((e): e is DirEntry => e !== null);
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name, undefined, { numeric: true }) : a.kind === 'dir' ? -1 : 1));
  const parent = path.dirname(dir);
  return { dir, parent: parent === dir ? null : parent, entries: entries.slice(0, MAX_ENTRIES), truncated: entries.length > MAX_ENTRIES || scanned > MAX_SCANNED };
}

async function describe(dir: string, c: { name: string; kind: 'dir' | 'scene' | 'link' }, exts: Set<string>): Promise<DirEntry | null> {
  const full = path.join(dir, c.name);
  if (c.kind === 'scene') return { name: c.name, path: full, kind: 'scene' };
  let isDir = c.kind === 'dir';
  if (c.kind === 'link') {
    // Followed once to see what it is; a broken link or one to anything else is left out.
    const target = await stat(full).catch(() => null);
    if (!target) return null;
    if (target.isFile()) return exts.has(path.extname(c.name).toLowerCase()) ? { name: c.name, path: full, kind: 'scene', link: true } : null;
    if (!target.isDirectory()) return null;
    isDir = true;
  }
  if (!isDir || !(await readable(full))) return null;
  return c.kind === 'link' ? { name: c.name, path: full, kind: 'dir', link: true } : { name: c.name, path: full, kind: 'dir' };
}

function readable(dir: string): Promise<boolean> {
  return access(dir, constants.R_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
}

function folderError(dir: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError('dir', `no such folder: ${dir}`);
  if (code === 'ENOTDIR') return new InputError('dir', `not a folder: ${dir}`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError('dir', `not allowed to read ${dir}`);
  return new InputError('dir', `cannot read ${dir} (${code ?? 'unknown error'})`);
}
