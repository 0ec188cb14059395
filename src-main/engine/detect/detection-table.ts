import type { DccPlatform, DetectSpec } from '../adapters/descriptor';
import { allAdapters } from '../adapters/registry';
import { NOT_SUPPORTED } from './not-supported';

/** One program detection looks for: an adapter's descriptor, or a program no adapter runs yet. */
export interface DetectionEntry {
  dcc: string;
  /** False: found, not supported yet (no adapter renders with it). */
  supported: boolean;
  detect: DetectSpec;
  /** Names looked up on PATH (PATHEXT is added on Windows). */
  executables: string[];
}

function allEntries(): DetectionEntry[] {
  const described = allAdapters().flatMap((a) => (a.detect ? [{ dcc: a.id, supported: true, detect: a.detect, executables: a.executables }] : []));
  return [...described, ...NOT_SUPPORTED.map((p) => ({ dcc: p.id, supported: false, detect: p.detect, executables: p.executables }))];
}

/** What to look for on one OS: the adapters' descriptors first, then the programs with no adapter. */
export function detectionTable(platform: DccPlatform): DetectionEntry[] {
  return allEntries().filter((entry) => entry.detect.paths[platform] !== undefined);
}

export function detectionEntry(dcc: string): DetectionEntry | undefined {
  return allEntries().find((entry) => entry.dcc === dcc);
}

/** Folders that `{Name}` stands for when the environment does not say. */
export const WINDOWS_FOLDER_DEFAULTS: Readonly<Record<string, string>> = {
  ProgramFiles: 'C:/Program Files',
  ProgramData: 'C:/ProgramData',
};
