import { memo, useMemo } from 'react';
import type { FrameLookup } from '../../state/frame-table';
import { formatDuration } from '../../lib/format';
import { useElementWidth } from '../../lib/use-element-width';

const H = 110;
const PAD_LEFT = 44;
const PAD_BOTTOM = 16;
const PAD_TOP = 8;

/**
 * Per-frame render time as bars (inline SVG) in the job's frame order, with the mean as a dashed
 * line. Drawn at the measured pixel width rather than stretched, so the labels stay legible.
 */
export const RenderTimeChart = memo(function RenderTimeChart({ order, frames }: { order: readonly number[]; frames: FrameLookup }) {
  const [wrapRef, width] = useElementWidth<HTMLDivElement>();
  const { bars, timed, max, mean } = useMemo(() => chartOf(order, frames, Math.max(1, Math.floor(width - PAD_LEFT - 4))), [order, frames, width]);

  let body = null;
  if (timed === 0) {
    body = <div className="chart-empty">Render times appear as frames finish.</div>;
  } else if (width > PAD_LEFT + 20) {
    const plotW = width - PAD_LEFT - 4;
    const plotH = H - PAD_BOTTOM - PAD_TOP;
    const barW = plotW / bars.length;
    const gap = barW > 4 ? 1 : 0;
    const y = (ms: number): number => PAD_TOP + plotH - (max > 0 ? (ms / max) * plotH : 0);
    const base = PAD_TOP + plotH;
    body = (
      <svg className="chart" width={width} height={H} role="img" aria-label={`Render time per frame, mean ${formatDuration(mean)}`} data-testid="render-chart">
        <line x1={PAD_LEFT} x2={width - 4} y1={base + 0.5} y2={base + 0.5} className="chart-axis" />
        <line x1={PAD_LEFT - 0.5} x2={PAD_LEFT - 0.5} y1={PAD_TOP} y2={base} className="chart-axis" />
        <text x={PAD_LEFT - 5} y={PAD_TOP + 8} className="chart-label" textAnchor="end">
          {formatDuration(max)}
        </text>
        <text x={PAD_LEFT - 5} y={base} className="chart-label" textAnchor="end">
          0
        </text>
        {bars.map((b, i) =>
          b.ms === null ? null : (
            <rect key={b.first} x={PAD_LEFT + i * barW + gap / 2} width={Math.max(0.75, barW - gap)} y={y(b.ms)} height={Math.max(1, base - y(b.ms))} className="chart-bar">
              <title>
                {b.first === b.last ? `Frame ${b.first}` : `Frames ${b.first}–${b.last} (the slowest)`}: {formatDuration(b.ms)}
              </title>
            </rect>
          ),
        )}
        <line x1={PAD_LEFT} x2={width - 4} y1={y(mean)} y2={y(mean)} className="chart-mean" />
        <text x={width - 6} y={y(mean) < PAD_TOP + 16 ? y(mean) + 12 : y(mean) - 4} className="chart-label chart-label-mean" textAnchor="end">
          mean {formatDuration(mean)}
        </text>
        <text x={PAD_LEFT} y={H - 3} className="chart-label">
          {order[0]}
        </text>
        <text x={width - 6} y={H - 3} className="chart-label" textAnchor="end">
          {order[order.length - 1]}
        </text>
      </svg>
    );
  }
  return (
    <div className="chart-wrap" ref={wrapRef}>
      {body}
    </div>
  );
});

interface Bar {
  first: number;
  last: number;
  /** The slowest measured frame of the bar's frames; null when none was measured. */
  ms: number | null;
}

interface Chart {
  bars: Bar[];
  /** How many frames have a render time, their slowest and their mean. */
  timed: number;
  max: number;
  mean: number;
}

/**
 * One bar per frame, or per run of frames when there are more frames than pixels: a
 * 100,000-frame job draws a bar per pixel column (its slowest frame), not 100,000 SVG elements.
 * One pass over the frames with nothing made per frame: it runs a few times a second while a
 * long job fills (a list of 100,000 objects each time made the page's heap and frame times climb).
 */
function chartOf(order: readonly number[], frames: FrameLookup, columns: number): Chart {
  const per = Math.max(1, Math.ceil(order.length / columns));
  const bars: Bar[] = [];
  let timed = 0;
  let sum = 0;
  let max = 0;
  for (let i = 0; i < order.length; i += per) {
    let ms: number | null = null;
    const end = Math.min(order.length, i + per);
    for (let j = i; j < end; j++) {
      const v = frames.get(order[j]!)?.renderMs ?? null;
      if (v === null) continue;
      timed++;
      sum += v;
      max = Math.max(max, v);
      if (ms === null || v > ms) ms = v;
    }
    bars.push({ first: order[i]!, last: order[end - 1]!, ms });
  }
  return { bars, timed, max, mean: timed ? sum / timed : 0 };
}
