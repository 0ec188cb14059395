import path from 'node:path';
import { InputError } from '../errors';

/**
 * Local → farm path mapping for a farm profile (`--path-map LOCAL=FARM`). A path is mapped by the
 * most specific mapping whose local side holds it, compared whole folder by whole folder after
 * `.` and `..` are resolved, so `/mnt/share/../etc` is not under `/mnt/share` and `/mnt/shared`
 * is not either. A path under no mapping is refused with the mappings named: a farm would fail
 * on it later, far from the user. Pure (string work only; nothing is read from disk).
 */

export interface PathMap {
  readonly local: string;
  readonly farm: string;
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/** Folders of an absolute path, `..` resolved; null for a relative one. */
function segments(p: string): { parts: string[]; windows: boolean } | null {
  const windows = WINDOWS_ABSOLUTE.test(p);
  if (!windows && !p.startsWith('/')) return null;
  const normal = (windows ? path.win32 : path.posix).normalize(p);
  const parts = normal.split(windows ? /[\\/]/ : '/').filter((part) => part !== '');
  return { parts, windows };
}

function sameFolder(a: string, b: string, windows: boolean): boolean {
  return windows ? a.toLowerCase() === b.toLowerCase() : a === b;
}

export function describeMaps(maps: readonly PathMap[]): string {
  return maps.map((m) => `${m.local} → ${m.farm}`).join(', ');
}

/** `localPath` as the farm sees it; InputError naming `field` and the mappings when none holds it. */
export function mapPath(localPath: string, maps: readonly PathMap[], field = 'path'): string {
  const local = segments(localPath);
  if (!local) throw new InputError(field, `${localPath} is not an absolute path, so no farm can find it`);
  let best: { map: PathMap; depth: number } | null = null;
  for (const map of maps) {
    const root = segments(map.local);
    if (!root || root.windows !== local.windows || root.parts.length > local.parts.length) continue;
    if (!root.parts.every((part, i) => sameFolder(part, local.parts[i]!, local.windows))) continue;
    if (!best || root.parts.length > best.depth) best = { map, depth: root.parts.length };
  }
  if (!best) {
    const known = maps.length === 0 ? 'this farm profile maps no paths' : `mapped: ${describeMaps(maps)}`;
    throw new InputError(field, `${localPath} is not under a path shared with the farm (${known}); add one with --path-map LOCAL=FARM`);
  }
  const rest = local.parts.slice(best.depth);
  const farmWindows = WINDOWS_ABSOLUTE.test(best.map.farm) || (best.map.farm.includes('\\') && !best.map.farm.includes('/'));
  const separator = farmWindows ? '\\' : '/';
  const farmRoot = best.map.farm.replace(/[\\/]+$/, '');
  return rest.length === 0 ? best.map.farm : [farmRoot, ...rest].join(separator);
}
