/** Delay before retry number `failures` (1-based): 5 s, 10 s, 20 s … capped at 5 min. */
export function backoffMs(failures: number, baseMs = 5_000, capMs = 300_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
}
