/**
 * A value loaded once and kept until asked to refresh. Detection runs programs (nvidia-smi,
 * `blender --version`), far too slow to repeat on every UI request. Callers arriving while a load
 * runs share it; a failed load is forgotten so the next call tries again.
 */
export interface Cached<T> {
  /** `refresh`: load again now (`load(true)`) instead of answering what is kept. */
  get(refresh?: boolean): Promise<T>;
  /** Drops what is kept; the next get loads again with `load(false)`. */
  forget(): void;
}

export function cached<T>(load: (refresh: boolean) => Promise<T>): Cached<T> {
  let pending: Promise<T> | null = null;
  return {
    get(refresh = false) {
      if (refresh || !pending) {
        const current = load(refresh);
        pending = current;
        current.catch(() => {
          if (pending === current) pending = null;
        });
      }
      return pending;
    },
    forget() {
      pending = null;
    },
  };
}
