import type { DccInstallDto, HardwareDto } from '../../src-preload/contract';
import type { HardwareInfo } from '../engine/detect/hardware';
import type { QueueClient } from '../engine/queue-client';

/**
 * Slow probes of the machine; default: the engine's detection (detect/workstation). `refresh`
 * asks for a new probe rather than the last result. Tests pass fakes.
 */
export interface Detectors {
  hardware?: (refresh: boolean) => Promise<HardwareDto | null>;
  dccs?: (refresh: boolean) => Promise<DccInstallDto[]>;
}

/**
 * The engine's own detection: what the last run stored, or a fresh probe when nothing is stored
 * yet or the user asks to refresh. Fresh results are stored for the engine too.
 */
export function machineDetectors(engine: Pick<QueueClient, 'hardware' | 'dccs'>): Required<Detectors> {
  return {
    hardware: async (refresh): Promise<HardwareDto> => toDto(await engine.hardware(refresh)),
    dccs: (refresh): Promise<DccInstallDto[]> => engine.dccs(refresh),
  };
}

/** The contract's shape: GPU UUIDs stay in main. */
function toDto(info: HardwareInfo): HardwareDto {
  return { ...info, gpus: info.gpus.map(({ index, vendor, model, vramBytes, driver }) => ({ index, vendor, model, vramBytes, driver })) };
}
