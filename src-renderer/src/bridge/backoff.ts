/**
 * Delay before reconnect attempt `attempt` (0-based): doubles from `baseMs` up to `maxMs`, with
 * ±20% jitter so several tabs do not hammer a restarting server in lockstep.
 */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 10_000, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  const jitter = 0.8 + 0.4 * random();
  return Math.round(Math.min(maxMs, exp * jitter));
}
