import path from 'node:path';
import { InputError } from '../errors';
import { describeMapping, type PathMap } from './profile';

/**
 * Path mapping between this workstation and a farm: a path under a mapping's local side is the
 * same file under its farm side. Longest prefix wins; a prefix matches whole folder names only.
 */
export function toFarm(map: readonly PathMap[], local: string): string | null {
  return translate(map, local, 'local', 'farm');
}

export function toLocal(map: readonly PathMap[], farm: string): string | null {
  return translate(map, farm, 'farm', 'local');
}

function translate(map: readonly PathMap[], given: string, from: 'local' | 'farm', to: 'local' | 'farm'): string | null {
  // `..` is resolved first, so /mnt/projects/../etc is not taken for a path under /mnt/projects.
  const file = path.posix.normalize(given);
  const best = [...map].sort((a, b) => b[from].length - a[from].length).find((m) => under(file, m[from]));
  if (!best) return null;
  const rest = file.slice(trimSlash(best[from]).length);
  return trimSlash(best[to]) + rest;
}

function under(file: string, root: string): boolean {
  const r = trimSlash(root);
  return file === r || file.startsWith(r + '/') || (r === '' && file.startsWith('/'));
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p === '/' ? '' : p;
}

/**
 * Rewrites every argument that is (or contains, as `--opt=/path`) a mapped local path. The argv is
 * the adapter's own; only the path prefixes change, so the farm runs the same command.
 */
export function mapArgv(map: readonly PathMap[], argv: readonly string[]): string[] {
  return argv.map((arg) => {
    const direct = path.isAbsolute(arg) ? toFarm(map, arg) : null;
    if (direct !== null) return direct;
    const eq = arg.indexOf('=');
    if (eq > 0 && path.isAbsolute(arg.slice(eq + 1))) {
      const mapped = toFarm(map, arg.slice(eq + 1));
      if (mapped !== null) return arg.slice(0, eq + 1) + mapped;
    }
    return arg;
  });
}

/** Lines the farm prints name farm paths; the parser and on-disk checks need this machine's. */
export function mapLineToLocal(map: readonly PathMap[], line: string): string {
  let out = line;
  for (const m of [...map].sort((a, b) => b.farm.length - a.farm.length)) {
    const farm = trimSlash(m.farm);
    if (farm && farm !== trimSlash(m.local) && out.includes(farm + '/')) out = out.split(farm + '/').join(trimSlash(m.local) + '/');
  }
  return out;
}

/** Refuses a farm job whose scene or output the farm could not see (exit 2 on the CLI). */
export function requireMapped(farm: string, map: readonly PathMap[], files: { scene: string | null; output: string | null }): void {
  for (const [field, file] of [['scene', files.scene], ['output', files.output]] as const) {
    if (file === null) continue;
    if (toFarm(map, path.resolve(file)) === null) {
      const mapping = map.length ? describeMapping(map) : 'none (add one with --path-map LOCAL=FARM)';
      throw new InputError(field, `${file} is not under a path farm ${farm} shares (its path mapping: ${mapping}); the farm could not read or write it`);
    }
  }
}
