import { useEffect, useRef, useState } from 'react';

/**
 * `value`, changing at most every `ms` (the latest value always arrives, at the end of the
 * wait). For figures computed over every frame of a job: a 100,000-frame job's counts and chart
 * need not be recomputed on every batch of frame events, only a few times a second.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = last.current + ms - Date.now();
    const show = (): void => {
      last.current = Date.now();
      setShown(() => value);
    };
    if (wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}
