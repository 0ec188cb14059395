import type { DccInstallDto, HardwareDto } from '../../src-preload/contract';
import type { HardwareInfo } from '../engine/detect/hardware';
import { cachedDccs, cachedHardware, refreshDccs, refreshHardware } from '../engine/detect/workstation';
import type { Store } from '../engine/store';
import type { Detectors } from './dispatch';

/**
 * The engine's own detection (detect/workstation): what the last run stored, or a fresh probe when
 * nothing is stored yet or the user asks to refresh. Fresh results are stored for the engine too.
 */
export function machineDetectors(store: Store): Required<Detectors> {
  return {
    hardware: async (refresh): Promise<HardwareDto> => toDto((!refresh && cachedHardware(store)) || (await refreshHardware(store))),
    dccs: async (refresh): Promise<DccInstallDto[]> => {
      const known = refresh ? [] : cachedDccs(store);
      return known.length > 0 ? known : refreshDccs(store);
    },
  };
}

/** The contract's shape: GPU UUIDs stay in main. */
function toDto(info: HardwareInfo): HardwareDto {
  return { ...info, gpus: info.gpus.map(({ index, vendor, model, vramBytes, driver }) => ({ index, vendor, model, vramBytes, driver })) };
}
