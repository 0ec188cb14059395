import { frameSources, planFrameAction, taskSources, FRAME_STATES_WITH_WORK, type FrameAction, type FrameActionPlan, type FrameFacts } from '../lifecycle';
import type { FrameState, JobStatus, TaskState } from '../types';
import { placeholders, type Db, type Row } from './database';

/** What a frame action did (or, previewed, would do). */
export interface FrameActionResult {
  plan: FrameActionPlan;
  /** Files of done frames it sends back to render: they will be overwritten. */
  overwrites: string[];
  /** The job's status after it; null for a preview. */
  status: JobStatus | null;
}

/** Splits frames leaving an ended chunk into new chunks (the job's chunk size and the adapter's shape). */
export type Chunker = (frames: readonly number[]) => number[][];

interface FactRow extends FrameFacts {
  output: string | null;
  taskId: number | null;
}

/**
 * A user's frame action as one transaction: the lifecycle plans it from the frames as they are
 * inside it (a chunk that started a moment ago is seen), the frames move, those leaving an ended
 * chunk get a new one, a chunk left with nothing to render settles, and the job settles.
 * `preview`: the same plan, nothing written (the UI's confirmation counts the overwrites first).
 */
export function applyFrameAction(
  db: Db,
  addChunks: (jobId: number, chunks: readonly (readonly number[])[]) => void,
  settle: (jobId: number, now: number) => JobStatus | null,
  jobId: number,
  action: FrameAction,
  asked: readonly number[],
  chunker: Chunker,
  preview: boolean,
): FrameActionResult {
  const run = (): FrameActionResult => {
    const facts = readFacts(db, jobId, asked);
    const found = new Set(facts.map((f) => f.frame));
    const plan = planFrameAction(action, facts, asked.filter((f) => !found.has(f)));
    const moving = new Set(plan.frames);
    const overwrites = facts.filter((f) => moving.has(f.frame) && f.state === 'done' && f.output !== null).map((f) => f.output!);
    if (preview || plan.frames.length === 0) return { plan, overwrites, status: null };
    const now = Date.now();
    moveFrames(db, jobId, plan, action === 'complete');
    if (plan.newChunk.length) {
      const detach = db.sql('UPDATE frames SET task_id = NULL WHERE job_id = ? AND frame = ?');
      for (const frame of plan.newChunk) detach.run(jobId, frame);
      addChunks(jobId, chunker(plan.newChunk));
    }
    const touched = [...new Set(facts.filter((f) => moving.has(f.frame) && f.taskId !== null).map((f) => f.taskId!))];
    settleEmptiedTasks(db, touched, now);
    return { plan, overwrites, status: settle(jobId, now) };
  };
  return preview ? run() : db.tx(run);
}

/** The asked frames in the job's order with their task; a whole-job read, since a set may be long. */
function readFacts(db: Db, jobId: number, asked: readonly number[]): FactRow[] {
  const want = new Set(asked);
  const rows = db
    .sql(
      `SELECT f.frame, f.state, f.output, f.task_id, t.state AS task_state, t.idx FROM frames f
       LEFT JOIN tasks t ON t.id = f.task_id WHERE f.job_id = ? ORDER BY f.ord`,
    )
    .all(jobId) as Row[];
  return rows
    .filter((r) => want.has(r.frame as number))
    .map((r) => ({
      frame: r.frame as number,
      state: r.state as FrameState,
      output: (r.output as string | null) ?? null,
      taskId: (r.task_id as number | null) ?? null,
      task: r.task_state == null ? null : { state: r.task_state as TaskState, index: r.idx as number },
    }));
}

function moveFrames(db: Db, jobId: number, plan: FrameActionPlan, accepted: boolean): void {
  const from = frameSources(plan.event, plan.to);
  // A frame accepted as it is has no verified file: no size and mtime, so no later check calls it lost.
  const fileReset = accepted ? ', output_size = NULL, output_mtime_ms = NULL' : '';
  const update = db.sql(
    `UPDATE frames SET state = ?, reason = ?${fileReset} WHERE job_id = ? AND frame = ? AND state IN (${placeholders(from.length)})`,
  );
  for (const frame of plan.frames) update.run(plan.to, plan.reason, jobId, frame, ...from);
}

/** A chunk not running whose frames are now all done, suspended or gone to a new chunk has succeeded. */
function settleEmptiedTasks(db: Db, taskIds: readonly number[], now: number): void {
  if (taskIds.length === 0) return;
  const from = taskSources('settle', 'succeeded');
  db.sql(
    `UPDATE tasks SET state = 'succeeded', reason = NULL, finished_at = COALESCE(finished_at, ?)
     WHERE id IN (${placeholders(taskIds.length)}) AND state IN (${placeholders(from.length)})
       AND NOT EXISTS (SELECT 1 FROM frames f WHERE f.task_id = tasks.id AND f.state IN (${placeholders(FRAME_STATES_WITH_WORK.length)}))`,
  ).run(now, ...taskIds, ...from, ...FRAME_STATES_WITH_WORK);
}
