/**
 * What Spool knows about a DCC as data: who it is, what it opens, which job overrides it honours,
 * and where it installs. Each adapter carries its own (adapter.ts extends this), so detection, the
 * CLI and the UI (through the `dccs.registry` command) read one table: the adapters in registry.ts.
 */
import type { JobOverrides } from '../types';

export type DccPlatform = 'win32' | 'darwin' | 'linux';

/** Job overrides that only some DCCs honour; threads, env and executable apply to every adapter. */
export type DccOverride = keyof Pick<JobOverrides, 'camera' | 'layer' | 'samples' | 'format' | 'renderer' | 'rop' | 'template'>;

/**
 * Where a program installs and how its version is read, in the shape of GitHub Desktop's editor
 * tables (app/src/lib/editors/{win32,darwin,linux}.ts); detect/dcc-discovery.ts is the one lookup.
 * Patterns use `/`; `*` matches within one path segment (case-insensitively, as the Windows and
 * macOS file systems do); `{ProgramFiles}` and `{ProgramData}` come from the environment.
 * Source keys are those of shared/reference/dcc-cli.md; UNVERIFIED marks a path no primary source
 * confirmed (it costs a readdir when absent, nothing more).
 */
export interface DetectSpec {
  /** The product's name in detection labels (`Houdini 20.5.370 (husk)`). */
  product: string;
  /** Tells apart several executables of one product in labels (`husk`, `hython`). */
  role?: string;
  /**
   * Standard install paths of the executable, per OS. An OS with no entry is one the program does
   * not run on: neither its paths nor PATH are searched there.
   */
  paths: Partial<Record<DccPlatform, readonly string[]>>;
  /**
   * The program's own version flag, only where a source confirms it and it opens no window: `args`
   * are run (no shell, stdin closed, with a timeout) and `pattern` reads stdout+stderr.
   * Absent: the version comes from the install path, and nothing is run.
   */
  probe?: { args: string[]; pattern: RegExp };
  /** The version in an install path (`/opt/hfs20.5.370/bin/husk` → 20.5.370). */
  pathVersion?: RegExp;
}

export interface DccDescriptor {
  /** Stable id used in job specs and the CLI's --dcc (e.g. `blender`, `command`). */
  id: string;
  label: string;
  /** One character for the UI's badge (required of every registered adapter: registry.ts). */
  letter?: string;
  /** Scene file extensions this adapter claims, lower case with the dot (`.blend`). */
  extensions: string[];
  /** True when the adapter renders without a scene file (generic command). */
  sceneOptional?: boolean;
  /** The DCC-specific job overrides this adapter reads (required of every registered adapter). */
  overrides?: readonly DccOverride[];
  /** Placeholders a command template may use (the generic command adapter). */
  tokens?: readonly string[];
  /**
   * Renderers that run inside this DCC (V-Ray, Redshift…): options of the DCC, never DCCs of their
   * own. With `renderer` in `overrides` a job picks one; otherwise the scene does (a ROP, the
   * scene's render settings).
   */
  renderers?: readonly string[];
  /** Executable names looked up on PATH, here and when a job runs. */
  executables: string[];
  /** Where it installs; absent for adapters that run whatever a job names (generic command). */
  detect?: DetectSpec;
}

/** What the UI needs of a descriptor (the contract's DccDescriptorDto). */
/**
 * A descriptor as the registry demands it. The two fields are optional on the bare type only so a
 * stand-in adapter (the engine's for a job whose DCC is gone) need not describe itself.
 */
export type FullDescriptor = DccDescriptor & { letter: string; overrides: readonly DccOverride[] };

export interface DccDescriptorView {
  id: string;
  label: string;
  letter: string;
  extensions: string[];
  sceneOptional: boolean;
  overrides: DccOverride[];
  tokens: string[];
  renderers: string[];
  /** Whether Spool looks for its installs (false: each job names its program). */
  detected: boolean;
}

export function descriptorView(d: FullDescriptor): DccDescriptorView {
  return {
    id: d.id,
    label: d.label,
    letter: d.letter,
    extensions: [...d.extensions],
    sceneOptional: d.sceneOptional === true,
    overrides: [...d.overrides],
    tokens: [...(d.tokens ?? [])],
    renderers: [...(d.renderers ?? [])],
    detected: d.detect !== undefined,
  };
}

export function dccPlatform(platform: NodeJS.Platform): DccPlatform {
  return platform === 'win32' || platform === 'darwin' ? platform : 'linux';
}
