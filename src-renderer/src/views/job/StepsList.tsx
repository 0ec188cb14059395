import { memo } from 'react';
import type { StepRecord } from '../../../../src-main/engine/types';
import { basename } from '../../lib/format';

const KIND: Record<string, string> = { preview: 'Preview', copy: 'Copy', move: 'Move', command: 'Command' };
const STATE_CLASS: Record<string, string> = {
  succeeded: 'state-done',
  failed: 'state-failed',
  running: 'state-running',
  waiting: 'state-queued',
  queued: 'state-queued',
  canceled: 'state-canceled',
};

/** What runs after the last frame (preview movie, copies, commands), each with its state and result. */
export const StepsList = memo(function StepsList({ steps }: { steps: readonly StepRecord[] }) {
  return (
    <ol className="steps" data-testid="steps">
      {steps.map((s) => (
        <li key={s.id} className="step">
          <span className="step-kind">{KIND[s.kind] ?? s.kind}</span>
          <span className={`step-state ${STATE_CLASS[s.state] ?? ''}`}>{s.state}</span>
          <span className="step-detail truncate" title={s.reason ?? s.outputs.join('\n')}>
            {s.reason ?? (s.outputs.length > 0 ? s.outputs.map(basename).join(', ') : '')}
          </span>
        </li>
      ))}
    </ol>
  );
});
