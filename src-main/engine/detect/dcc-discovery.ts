/**
 * Finds the DCCs installed on this workstation: the standard folders of the adapters' descriptors
 * (detection-table.ts), PATH, and what the user added by hand; then reads each one's version. One
 * lookup over data, like GitHub Desktop's editor lookup, so adding a DCC adds no code here.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { dccPlatform, type DccPlatform } from '../adapters/descriptor';
import { WINDOWS_FOLDER_DEFAULTS, detectionEntry, detectionTable, type DetectionEntry } from './detection-table';

export interface DccInstall {
  dcc: string;
  executable: string;
  version: string | null;
  source: 'path' | 'standard' | 'user';
  label: string;
  /** Present only for a program no adapter runs: found, not supported yet (never offered as a DCC). */
  supported?: false;
  /** The one install of its DCC that renders use (used-install.ts); set when read, never cached. */
  used?: true;
}

export interface DiscoverOptions {
  platform?: NodeJS.Platform;
  /** Whose PATH (and on Windows ProgramFiles/PATHEXT) to use. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Prefixes for the standard locations (a fake tree in tests). Default: the real root only. */
  roots?: string[];
  /** Executables or folders the user added; one given with its DCC is that DCC whatever its name (a wrapper script). */
  userPaths?: (string | { dcc: string; executable: string })[];
  /** Per version probe. Default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

async function isExecutable(file: string, platform: DccPlatform): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    // Windows has no execute bit; the table and PATHEXT already say what runs.
    if (platform !== 'win32') await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

function globToRegExp(segment: string): RegExp {
  const body = segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`, 'i');
}

/** Every existing path a pattern names: `*` segments are listed with readdir, no glob library. */
async function expand(pattern: string): Promise<string[]> {
  const segments = pattern.replace(/\\/g, '/').split('/');
  const first = segments.shift() ?? '';
  let current = [first === '' ? '/' : `${first}/`]; // '' = POSIX root; 'C:' = a drive
  for (const segment of segments) {
    if (segment === '') continue;
    const next: string[] = [];
    for (const base of current) {
      if (!segment.includes('*')) {
        next.push(path.join(base, segment));
        continue;
      }
      const re = globToRegExp(segment);
      let names: string[] = [];
      try {
        names = await fs.readdir(base);
      } catch {
        continue; // the folder does not exist: nothing installed there
      }
      for (const name of names.sort()) if (re.test(name)) next.push(path.join(base, name));
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function substitute(pattern: string, env: NodeJS.ProcessEnv): string {
  return pattern.replace(/\{(\w+)\}/g, (_, name: string) =>
    (env[name] ?? WINDOWS_FOLDER_DEFAULTS[name] ?? '').replace(/\\/g, '/'),
  );
}

/** A table path under a root: the drive letter goes, the rest hangs below the root. */
function underRoot(pattern: string, root: string | null): string {
  if (root === null) return pattern;
  const rel = pattern.replace(/^[A-Za-z]:/, '').replace(/^\/+/, '');
  return `${root.replace(/\\/g, '/').replace(/\/+$/, '')}/${rel}`;
}

interface Found {
  dcc: string;
  executable: string;
  source: DccInstall['source'];
}

async function fromStandard(locations: readonly DetectionEntry[], roots: (string | null)[], env: NodeJS.ProcessEnv, platform: DccPlatform): Promise<Found[]> {
  const found: Found[] = [];
  for (const loc of locations) {
    for (const pattern of loc.detect.paths[platform] ?? []) {
      for (const root of roots) {
        for (const file of await expand(underRoot(substitute(pattern, env), root))) {
          if (await isExecutable(file, platform)) found.push({ dcc: loc.dcc, executable: file, source: 'standard' });
        }
      }
    }
  }
  return found;
}

async function fromPath(locations: readonly DetectionEntry[], env: NodeJS.ProcessEnv, platform: DccPlatform): Promise<Found[]> {
  const delimiter = platform === 'win32' ? ';' : ':';
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  const found: Found[] = [];
  for (const loc of locations) {
    for (const name of loc.executables) {
      for (const dir of dirs) {
        for (const ext of exts) {
          const file = path.join(dir, name + ext);
          if (await isExecutable(file, platform)) found.push({ dcc: loc.dcc, executable: file, source: 'path' });
        }
      }
    }
  }
  return found;
}

/** Base-name matchers of each DCC: its PATH names and the last segment of its standard paths. */
function nameMatchers(locations: readonly DetectionEntry[], platform: DccPlatform): { dcc: string; re: RegExp }[] {
  const out: { dcc: string; re: RegExp }[] = [];
  for (const loc of locations) {
    const names = new Set<string>();
    for (const n of loc.executables) names.add(n);
    for (const p of loc.detect.paths[platform] ?? []) names.add(p.split('/').pop()?.replace(/\.exe$/i, '') ?? '');
    for (const n of names) if (n) out.push({ dcc: loc.dcc, re: globToRegExp(n) });
  }
  return out;
}

/**
 * Which DCC an executable is, from its file name (`Render` → maya, `Nuke15.1` → nuke); null if none.
 * A program with no adapter (`vray`) is named too: callers tell it apart with isSupported.
 */
export function identifyExecutable(file: string, platform: NodeJS.Platform = process.platform): string | null {
  const p = dccPlatform(platform);
  const base = path.basename(file.replace(/\\/g, '/')).replace(/\.exe$/i, '');
  const hit = nameMatchers(detectionTable(p), p).find((m) => m.re.test(base));
  return hit?.dcc ?? null;
}

/** False for a program detection knows but no adapter runs (V-Ray, Redshift standalone). */
export function isSupported(dcc: string): boolean {
  return detectionEntry(dcc)?.supported !== false;
}

async function fromUser(userPaths: NonNullable<DiscoverOptions['userPaths']>, locations: readonly DetectionEntry[], platform: DccPlatform): Promise<Found[]> {
  const matchers = nameMatchers(locations, platform);
  const found: Found[] = [];
  const consider = async (file: string, dcc?: string): Promise<void> => {
    const base = path.basename(file).replace(/\.exe$/i, '');
    const named = dcc ?? matchers.find((m) => m.re.test(base))?.dcc;
    if (named && (await isExecutable(file, platform))) found.push({ dcc: named, executable: file, source: 'user' });
  };
  for (const given of userPaths) {
    const p = path.resolve(typeof given === 'string' ? given : given.executable);
    if (!(await isDirectory(p))) {
      await consider(p, typeof given === 'string' ? undefined : given.dcc);
      continue;
    }
    // A folder: the executables in it, its bin/, or a macOS bundle's Contents/MacOS.
    for (const dir of [p, path.join(p, 'bin'), path.join(p, 'Contents', 'MacOS')]) {
      let names: string[] = [];
      try {
        names = await fs.readdir(dir);
      } catch {
        continue;
      }
      for (const name of names.sort()) await consider(path.join(dir, name));
    }
  }
  return found;
}

/** Numeric comparison of version strings: `3.10` > `3.9`, `15.1v2` > `15.1v1`, `2025` > `2024`. */
export function compareVersions(a: string, b: string): number {
  const pa = (a.match(/\d+/g) ?? []).map(Number);
  const pb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

async function probeVersion(found: Found, realFile: string, timeoutMs: number): Promise<string | null> {
  const product = detectionEntry(found.dcc)?.detect;
  if (product?.probe) {
    try {
      // Only flags that print and exit (the descriptors' `probe`); stdin closed so nothing can wait on a prompt.
      const { execa } = await import('execa');
      const r = await execa(found.executable, product.probe.args, {
        timeout: timeoutMs,
        stdin: 'ignore',
        all: true,
        reject: false,
        windowsHide: true,
        maxBuffer: 1024 * 1024,
      });
      const m = product.probe.pattern.exec(String(r.all ?? ''));
      if (m?.[1]) return m[1];
    } catch {
      // fall through to the install path
    }
  }
  if (product?.pathVersion) {
    for (const p of [found.executable, realFile]) {
      const m = product.pathVersion.exec(p.replace(/\\/g, '/'));
      if (m?.[1]) return m[1];
    }
  }
  return null;
}

function labelOf(dcc: string, version: string | null): string {
  const product = detectionEntry(dcc)?.detect;
  const name = product?.product ?? dcc;
  return `${name}${version ? ` ${version}` : ''}${product?.role ? ` (${product.role})` : ''}`;
}

export async function discoverDccs(opts: DiscoverOptions = {}): Promise<DccInstall[]> {
  const platform = dccPlatform(opts.platform ?? process.platform);
  const env = opts.env ?? process.env;
  const locations = detectionTable(platform);
  const roots = opts.roots && opts.roots.length > 0 ? opts.roots : [null];

  // Order is precedence for duplicates: what the user added, then PATH, then standard folders.
  const all = [
    ...(await fromUser(opts.userPaths ?? [], locations, platform)),
    ...(await fromPath(locations, env, platform)),
    ...(await fromStandard(locations, roots, env, platform)),
  ];

  const seen = new Set<string>();
  const unique: { found: Found; real: string }[] = [];
  for (const found of all) {
    const real = await fs.realpath(found.executable).catch(() => path.resolve(found.executable));
    const key = `${found.dcc}\0${platform === 'linux' ? real : real.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push({ found, real });
  }

  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const installs = await Promise.all(
    unique.map(async ({ found, real }): Promise<DccInstall> => {
      const version = await probeVersion(found, real, timeoutMs);
      const install: DccInstall = { ...found, version, label: labelOf(found.dcc, version) };
      return isSupported(found.dcc) ? install : { ...install, supported: false };
    }),
  );
  return installs.sort(byDccThenNewest);
}

function byDccThenNewest(a: DccInstall, b: DccInstall): number {
  if (a.dcc !== b.dcc) return a.dcc < b.dcc ? -1 : 1;
  if (a.version !== b.version) {
    if (a.version === null) return 1;
    if (b.version === null) return -1;
    const d = compareVersions(b.version, a.version);
    if (d !== 0) return d;
  }
  return a.executable < b.executable ? -1 : a.executable > b.executable ? 1 : 0;
}

/** `3.6` matches `3.6` and `3.6.5`, not `3.60`: a prefix that ends at a component boundary. */
function versionMatches(version: string, wanted: string): boolean {
  if (!version.startsWith(wanted)) return false;
  const next = version.charAt(wanted.length);
  return next === '' || !/\d/.test(next);
}

/** The newest install of a DCC, or the newest whose version starts with `wanted`; null if none fits. */
export function pickInstall(installs: readonly DccInstall[], dcc: string, wanted?: string): DccInstall | null {
  const want = wanted?.trim();
  const candidates = installs.filter(
    (i) => i.dcc === dcc && (!want || (i.version !== null && versionMatches(i.version, want))),
  );
  return [...candidates].sort(byDccThenNewest)[0] ?? null;
}
