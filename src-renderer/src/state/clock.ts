import { create } from 'zustand';

const useClock = create<{ now: number }>()(() => ({ now: Date.now() }));

let timer: ReturnType<typeof setInterval> | null = null;
let subscribers = 0;
let frozen = false;

/** One shared 1 Hz tick; the interval runs only while something shows a live duration. */
export function useNow(): number {
  return useClock((s) => s.now);
}

export function startClock(): () => void {
  subscribers++;
  if (timer === null) timer = setInterval(() => frozen || useClock.setState({ now: Date.now() }), 1000);
  return () => {
    subscribers--;
    if (subscribers === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/**
 * While the engine cannot be reached, what the page shows is the last thing it knew: running
 * timers stop where they were instead of counting time the page knows nothing about.
 */
export function freezeClock(freeze: boolean): void {
  frozen = freeze;
  if (!freeze) useClock.setState({ now: Date.now() });
}

export function nowSnapshot(): number {
  return useClock.getState().now;
}
