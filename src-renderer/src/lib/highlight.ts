import type { AnsiSegment } from './ansi';

export interface HighlightedSegment extends AnsiSegment {
  match: boolean;
}

/**
 * Marks every case-insensitive occurrence of `query` across styled segments, splitting segments
 * where a match starts or ends, so a match that spans a colour change is still marked whole.
 */
export function highlightSegments(segments: readonly AnsiSegment[], query: string): HighlightedSegment[] {
  const q = query.toLowerCase();
  if (!q) return segments.map((s) => ({ ...s, match: false }));
  const plain = segments.map((s) => s.text).join('');
  const lower = plain.toLowerCase();
  const ranges: [number, number][] = [];
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, i + q.length)) ranges.push([i, i + q.length]);
  if (ranges.length === 0) return segments.map((s) => ({ ...s, match: false }));
  const out: HighlightedSegment[] = [];
  let pos = 0;
  let r = 0;
  for (const seg of segments) {
    const end = pos + seg.text.length;
    let cursor = pos;
    while (cursor < end) {
      while (r < ranges.length && ranges[r]![1] <= cursor) r++;
      const range = ranges[r];
      if (!range || range[0] >= end) {
        out.push({ text: plain.slice(cursor, end), style: seg.style, match: false });
        cursor = end;
      } else if (range[0] > cursor) {
        out.push({ text: plain.slice(cursor, range[0]), style: seg.style, match: false });
        cursor = range[0];
      } else {
        const stop = Math.min(range[1], end);
        out.push({ text: plain.slice(cursor, stop), style: seg.style, match: true });
        cursor = stop;
      }
    }
    pos = end;
  }
  return out;
}
