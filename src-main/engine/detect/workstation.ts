import type { Store } from '../store';
import { USER_EXECUTABLES_KEY, type UserExecutable } from '../executables';
import { discoverDccs, type DccInstall } from './dcc-discovery';
import { detectHardware, type HardwareInfo } from './hardware';

/** Detection results are cached in the store: the engine starts from them and refreshes behind. */
const HARDWARE_KEY = 'cache.hardware';
const DCCS_KEY = 'cache.dccs';

export function cachedHardware(store: Store): HardwareInfo | null {
  return store.getSetting<HardwareInfo>(HARDWARE_KEY);
}

export function cachedDccs(store: Store): DccInstall[] {
  return store.getSetting<DccInstall[]>(DCCS_KEY) ?? [];
}

export function userExecutables(store: Store): UserExecutable[] {
  return store.getSetting<UserExecutable[]>(USER_EXECUTABLES_KEY) ?? [];
}

export async function refreshHardware(store: Store, env: NodeJS.ProcessEnv = process.env): Promise<HardwareInfo> {
  const hardware = await detectHardware({ env });
  store.setSetting(HARDWARE_KEY, hardware);
  return hardware;
}

export async function refreshDccs(store: Store, env: NodeJS.ProcessEnv = process.env): Promise<DccInstall[]> {
  const installs = await discoverDccs({ env, userPaths: userExecutables(store).map((u) => u.executable) });
  store.setSetting(DCCS_KEY, installs);
  return installs;
}
