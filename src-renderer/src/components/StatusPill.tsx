import type { JobStatus } from '../../../src-main/engine/types';
import { STATUS_LABEL } from '../lib/queue';

export function StatusPill({ status }: { status: JobStatus }) {
  return (
    <span className={`pill pill-${status}`} data-status={status}>
      <span className="pill-dot" aria-hidden />
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}
