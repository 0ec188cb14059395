import type { LogLine } from './log-lines';
import type { RingBuffer } from './ring-buffer';

/**
 * The absolute indices of held lines that satisfy a predicate, kept up to date incrementally: each
 * sync looks only at lines added since the last one and forgets lines the ring dropped. This is
 * what keeps search and attempt filters cheap while 100,000 lines stream in.
 */
export class LogIndex {
  private indices: number[] = [];
  private offset = 0;
  private scanned = 0;
  private ring: RingBuffer<LogLine> | null = null;

  constructor(private readonly predicate: (line: LogLine) => boolean) {}

  sync(ring: RingBuffer<LogLine>): this {
    if (ring !== this.ring) {
      this.ring = ring;
      this.indices = [];
      this.offset = 0;
      this.scanned = 0;
    }
    const first = ring.first;
    while (this.offset < this.indices.length && this.indices[this.offset]! < first) this.offset++;
    // Compact now and then so the dropped prefix does not pin memory.
    if (this.offset > 4096 && this.offset * 2 > this.indices.length) {
      this.indices = this.indices.slice(this.offset);
      this.offset = 0;
    }
    const end = first + ring.length;
    for (let abs = Math.max(this.scanned, first); abs < end; abs++) {
      if (this.predicate(ring.at(abs - first)!)) this.indices.push(abs);
    }
    this.scanned = end;
    return this;
  }

  get length(): number {
    return this.indices.length - this.offset;
  }

  /** Absolute index of the i-th match. */
  at(i: number): number | undefined {
    return i >= 0 && i < this.length ? this.indices[this.offset + i] : undefined;
  }

  /** Position of absolute index `abs` among the matches, or of the first match after it (binary search). */
  positionOf(abs: number): number {
    let lo = this.offset;
    let hi = this.indices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.indices[mid]! < abs) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.offset;
  }
}

export function searchPredicate(query: string): ((line: LogLine) => boolean) | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  return (line) => line.plain.toLowerCase().includes(q);
}
