import type { Store } from '../store';
import { USER_EXECUTABLES_KEY, type UserExecutable } from '../executables';
import { discoverDccs, type DccInstall } from './dcc-discovery';
import { detectHardware, type HardwareInfo } from './hardware';

/** Detection results are cached in the store: the engine starts from them and refreshes behind. */
const HARDWARE_KEY = 'cache.hardware';
const DCCS_KEY = 'cache.dccs';

export function cachedHardware(store: Store): HardwareInfo | null {
  return (store.settings.get(HARDWARE_KEY) as HardwareInfo | null);
}

export function cachedDccs(store: Store): DccInstall[] {
  return (store.settings.get(DCCS_KEY) as DccInstall[] | null) ?? [];
}

export function userExecutables(store: Store): UserExecutable[] {
  return (store.settings.get(USER_EXECUTABLES_KEY) as UserExecutable[] | null) ?? [];
}

export async function refreshHardware(store: Store, env: NodeJS.ProcessEnv = process.env): Promise<HardwareInfo> {
  const hardware = await detectHardware({ env });
  store.settings.set(HARDWARE_KEY, hardware);
  return hardware;
}

export async function refreshDccs(store: Store, env: NodeJS.ProcessEnv = process.env): Promise<DccInstall[]> {
  const installs = await discoverDccs({ env, userPaths: userExecutables(store).map((u) => u.executable) });
  store.settings.set(DCCS_KEY, installs);
  return installs;
}
