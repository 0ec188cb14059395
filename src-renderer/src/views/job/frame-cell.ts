import { isNotReached } from '../../../../src-main/engine/lifecycle/not-reached';
import type { FrameRecord, FrameState } from '../../../../src-main/engine/types';

/** How a frame cell is drawn: its state, or `notreached` for a queued frame a failed chunk never got to. */
export type CellKind = FrameState | 'notreached';

export const CELL_KINDS: readonly CellKind[] = ['queued', 'running', 'done', 'failed', 'notreached', 'canceled'];

export const cellLabel = (kind: CellKind): string => (kind === 'notreached' ? 'not reached' : kind);

export function cellKind(record: Pick<FrameRecord, 'state' | 'reason'> | undefined): CellKind {
  if (!record) return 'queued';
  return isNotReached(record) ? 'notreached' : record.state;
}
