import { useEffect } from 'react';
import { create } from 'zustand';
import type { DccDescriptorDto } from '../../../src-preload/contract';
import { call } from '../bridge/call';

/**
 * The DCC registry as main describes it (`dccs.registry`): labels, badge letters, scene
 * extensions, overrides, template tokens. Loaded once; nothing about DCCs is written down here.
 */
interface DccRegistryState {
  dccs: DccDescriptorDto[];
  state: 'idle' | 'loading' | 'ready';
}

export const useDccRegistry = create<DccRegistryState>()(() => ({ dccs: [], state: 'idle' }));

/** Loads the registry unless it is loaded or on its way; a failure leaves it for the next user to retry. */
export function ensureDccRegistry(): void {
  if (useDccRegistry.getState().state !== 'idle') return;
  useDccRegistry.setState({ state: 'loading' });
  call('dccs.registry', {})
    .then((dccs) => useDccRegistry.setState({ dccs, state: 'ready' }))
    .catch(() => useDccRegistry.setState({ state: 'idle' }));
}

/** Every adapter's descriptor, in the registry's order (empty until the first answer). */
export function useDccs(): DccDescriptorDto[] {
  useEffect(ensureDccRegistry, []);
  return useDccRegistry((s) => s.dccs);
}
