/**
 * Done and failed as one stacked bar; `partial` adds the frames in flight as a lighter segment.
 * `label` names it for screen readers (a progressbar needs a name: "Frames of job 12").
 */
export function ProgressBar({ total, done, failed = 0, partial = 0, label = 'Frames done' }: { total: number; done: number; failed?: number; partial?: number; label?: string }) {
  const pct = (n: number): string => `${total > 0 ? Math.max(0, Math.min(100, (n / total) * 100)) : 0}%`;
  return (
    <span
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={`${done} of ${total} frames done${failed ? `, ${failed} failed` : ''}`}
    >
      <span className="progress-done" style={{ width: pct(done) }} />
      {partial > 0 ? <span className="progress-partial" style={{ width: pct(partial) }} /> : null}
      {failed > 0 ? <span className="progress-failed" style={{ width: pct(failed) }} /> : null}
    </span>
  );
}
