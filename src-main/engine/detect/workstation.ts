import { readSetting, writeSetting, type SettingsStore as Store, type UserExecutable } from '../settings';
import { discoverDccs, type DccInstall } from './dcc-discovery';
import { detectHardware, type HardwareInfo } from './hardware';

/** Detection results are cached in the store: the engine starts from them and refreshes behind. */

export function cachedHardware(store: Store): HardwareInfo | null {
  return readSetting(store, 'cache.hardware');
}

export function cachedDccs(store: Store): DccInstall[] {
  return readSetting(store, 'cache.dccs');
}

export function userExecutables(store: Store): UserExecutable[] {
  return readSetting(store, 'dccs.user');
}

export async function refreshHardware(store: Store, env: NodeJS.ProcessEnv = process.env): Promise<HardwareInfo> {
  const hardware = await detectHardware({ env });
  writeSetting(store, 'cache.hardware', hardware);
  return hardware;
}

/** What is installed now, looked up without touching the store (a submit that may be refused reads it). */
export function detectDccs(store: Store, env: NodeJS.ProcessEnv = process.env): Promise<DccInstall[]> {
  return discoverDccs({ env, userPaths: userExecutables(store) });
}

export async function refreshDccs(store: Store, env: NodeJS.ProcessEnv = process.env): Promise<DccInstall[]> {
  const installs = await detectDccs(store, env);
  writeSetting(store, 'cache.dccs', installs);
  return installs;
}
