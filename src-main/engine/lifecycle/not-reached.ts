/** Starts the reason of a frame a failed attempt never got to: the faces tell such frames by it. */
export const NOT_REACHED_PREFIX = 'not reached: ';

/** The reason a frame left queued by a failed attempt carries (see planOutcome). */
export const notReachedReason = (failedFrame: number): string => `${NOT_REACHED_PREFIX}frame ${failedFrame} failed first`;

/** A queued frame whose attempt failed on an earlier frame before getting to it. */
export const isNotReached = (frame: { state: string; reason: string | null }): boolean =>
  frame.state === 'queued' && frame.reason !== null && frame.reason.startsWith(NOT_REACHED_PREFIX);
