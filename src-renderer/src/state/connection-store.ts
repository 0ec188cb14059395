import { create } from 'zustand';
import type { ConnectionInfo } from '../bridge';

export const useConnection = create<{ info: ConnectionInfo; set(info: ConnectionInfo): void }>()((set) => ({
  info: { state: 'connecting', retryAt: null, generation: 0 },
  set: (info) => set({ info }),
}));
