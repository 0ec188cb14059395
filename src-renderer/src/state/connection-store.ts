import { create } from 'zustand';
import type { ConnectionInfo, ConnectionState } from '../bridge';

export const useConnection = create<{ info: ConnectionInfo; set(info: ConnectionInfo): void }>()((set) => ({
  info: { state: 'connecting', retryAt: null, generation: 0 },
  set: (info) => set({ info }),
}));

/** The page cannot act: what it shows is the last thing it knew, and its controls are disabled. */
export function isOffline(state: ConnectionState): boolean {
  return state === 'reconnecting' || state === 'unauthorized';
}
