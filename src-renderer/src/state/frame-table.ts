import type { FrameRecord } from '../../../src-main/engine/types';

/** What views read of a job's frames (a plain Map fits too, which keeps tests simple). */
export interface FrameLookup {
  get(frame: number): FrameRecord | undefined;
  readonly size: number;
  values(): IterableIterator<FrameRecord>;
}

const PAGE_BITS = 10;
const PAGE = 1 << PAGE_BITS;

/**
 * A job's frames as immutable pages of 1,024 in the job's order. An update copies only the pages
 * it touches and shares the rest, so a batch of frame events on a 100,000-frame job costs a page
 * or two, not a copy of every frame, and a changed table is still a new object for React's memos.
 */
export class FrameTable implements FrameLookup {
  private constructor(
    private readonly pages: readonly (readonly FrameRecord[])[],
    /** Frame number → position in the job's order; shared by every version of the table. */
    private readonly index: ReadonlyMap<number, number>,
    /** Running frames per task, kept as frames change so no render counts 100,000 frames for it. */
    private readonly running: ReadonlyMap<number, number>,
  ) {}

  static of(frames: readonly FrameRecord[]): FrameTable {
    const pages: FrameRecord[][] = [];
    for (let i = 0; i < frames.length; i += PAGE) pages.push(frames.slice(i, i + PAGE));
    const running = new Map<number, number>();
    for (const f of frames) countRunning(running, f, 1);
    return new FrameTable(pages, new Map(frames.map((f, i) => [f.frame, i])), running);
  }

  static readonly EMPTY = FrameTable.of([]);

  get size(): number {
    return this.index.size;
  }

  get(frame: number): FrameRecord | undefined {
    const at = this.index.get(frame);
    return at === undefined ? undefined : this.pages[at >> PAGE_BITS]![at & (PAGE - 1)];
  }

  *values(): IterableIterator<FrameRecord> {
    for (const page of this.pages) yield* page;
  }

  private single: ReadonlySet<number> | null = null;

  /** Tasks with exactly one running frame (frame-cell.ts's singleRunningTasks, kept up to date). */
  singleRunningTasks(): ReadonlySet<number> {
    this.single ??= new Set([...this.running].filter(([, n]) => n === 1).map(([task]) => task));
    return this.single;
  }

  /**
   * A new table with `change(record)` applied to these frames; frames it does not hold are
   * skipped (the job's own frames come with a full fetch). This table itself when nothing changed.
   */
  update<T extends { frame: number }>(changes: readonly T[], change: (before: FrameRecord, c: T) => FrameRecord): FrameTable {
    let pages: (readonly FrameRecord[])[] | null = null;
    let running: Map<number, number> | null = null;
    const copied = new Set<number>();
    for (const c of changes) {
      const at = this.index.get(c.frame);
      if (at === undefined) continue;
      const p = at >> PAGE_BITS;
      pages ??= [...this.pages];
      if (!copied.has(p)) {
        pages[p] = [...pages[p]!];
        copied.add(p);
      }
      const page = pages[p] as FrameRecord[];
      const before = page[at & (PAGE - 1)]!;
      const after = change(before, c);
      page[at & (PAGE - 1)] = after;
      if ((before.state === 'running') !== (after.state === 'running') || before.taskId !== after.taskId) {
        running ??= new Map(this.running);
        countRunning(running, before, -1);
        countRunning(running, after, 1);
      }
    }
    return pages ? new FrameTable(pages, this.index, running ?? this.running) : this;
  }
}

function countRunning(running: Map<number, number>, f: FrameRecord, by: 1 | -1): void {
  if (f.state !== 'running' || f.taskId === null) return;
  const n = (running.get(f.taskId) ?? 0) + by;
  if (n > 0) running.set(f.taskId, n);
  else running.delete(f.taskId);
}
