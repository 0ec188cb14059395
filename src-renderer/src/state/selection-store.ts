import { create } from 'zustand';
import { EMPTY_SELECTION, type Selection } from '../lib/selection';

export const useSelection = create<{ selection: Selection; set(selection: Selection): void }>()((set) => ({
  selection: EMPTY_SELECTION,
  set: (selection) => set({ selection }),
}));
