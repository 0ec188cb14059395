import { create } from 'zustand';

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  /** What the user did, e.g. "Pause job 12": the message alone rarely says where it came from. */
  title: string;
  message: string;
}

interface ToastsState {
  toasts: readonly Toast[];
  push(toast: Omit<Toast, 'id'>, ttlMs?: number): number;
  dismiss(id: number): void;
}

let nextId = 1;
const MAX_TOASTS = 5;

export const useToasts = create<ToastsState>()((set, get) => ({
  toasts: [],
  push(toast, ttlMs = toast.kind === 'error' ? 12_000 : 4_000) {
    const id = nextId++;
    set((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-MAX_TOASTS) }));
    if (ttlMs > 0) setTimeout(() => get().dismiss(id), ttlMs);
    return id;
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));

export function toastError(title: string, error: unknown): void {
  useToasts.getState().push({ kind: 'error', title, message: error instanceof Error ? error.message : String(error) });
}
