import path from 'node:path';
import { isBatchFile, readBatchFile } from '../../engine/batch/load';
import { formatPlan, type PlannedJob } from '../../engine/batch/submit-batch';
import { InputError } from '../../engine/errors';
import { parseFrameSet } from '../../engine/frames';
import type { SubmitInput } from '../../engine/job-input';
import { StoreQueue, type QueueClient, type Submission } from '../../engine/queue-client';
import { registerWaiter } from '../../engine/waiters';
import type { JobSummary } from '../../engine/types';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';
import { renderForOtherWaiters, waitForJobs } from '../wait';
import { WaitingEngine } from '../waiting-engine';
import { afterRefs, JOB_FLAGS, jobInputFromFlags } from '../job-flags';

export const usage = `spool submit [SCENE... | BATCH.yaml] [options]
  BATCH.yaml|.yml|.json (or --batch FILE): queue every job of a batch file, all or none;
                      the options below fill in what the file leaves out
  --frames SET        frames to render: 1-100, 1..100, 1,5,10-20, 1-100x5, 1-100y5 (the frames x5 skips),
                      1-100:10 (all frames, every 10th first: a preview pass), 100-1 (default: the scene's range)
  --chunk N|auto      frames per render process (default: auto)
  --output PATTERN    output path; # marks padded frame digits (shots/sh010_####)
  --dcc NAME          blender, povray, command… (default: from the scene's extension)
  --template CMD      with --dcc command: 'mytool --in {scene} --frame {frame} --out {output}'
  --name NAME  --priority N  --retries N  --slots N
  --device cpu|any-gpu|gpu:N   --threads N  --camera NAME  --layer NAME  --samples N  --format PNG
  --stall-timeout SEC  --timeout SEC  --executable PATH
  --after JOB         wait for that job (id or name) to succeed first; repeat for several
  --farm NAME         render on that farm (spool farm list); scene and output must be in its shared folders
  --dry-run           print what would be queued (jobs, tasks, frames) and queue nothing
  --wait              render now (runs an engine if none is running) and exit when done
  --json              print the job as JSON`;

const OPTIONS = {
  ...JOB_FLAGS,
  name: { type: 'string' },
  slots: { type: 'string' },
  farm: { type: 'string' },
  after: { type: 'string', multiple: true },
  batch: { type: 'string' },
  'dry-run': { type: 'boolean' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  const base = jobInputFromFlags(values);
  if (values.after) base.after = afterRefs(values.after);
  const submission = toSubmission(values.batch, positionals, base, Boolean(values.name), ctx);

  if (values['dry-run']) {
    const plan = await withQueue(ctx, (queue) => queue.plan(submission));
    warnFrames(plan, ctx);
    if (values.json) ctx.out(`${JSON.stringify(plan, null, 2)}\n`);
    else ctx.out(formatPlan(plan, submission.kind === 'batch' ? submission.batch.display : 'submit'));
    return EXIT.ok;
  }
  if (values.wait) return submitAndWait(submission, ctx, Boolean(values.json));
  const jobs = await withQueue(ctx, async (queue, engineRunning) => {
    const queued = await submitTo(queue, submission);
    if (!engineRunning && !values.json) {
      ctx.err('No Spool engine is running: start one with `spool run` (or submit with --wait) to render.\n');
    }
    return queued;
  });
  if (values.json) ctx.out(`${JSON.stringify(jobs.length === 1 ? { id: jobs[0]!.id } : jobs.map((j) => ({ id: j.id })))}\n`);
  else for (const job of jobs) ctx.out(`${job.id}\n`);
  return EXIT.ok;
}

/** `1 10` queues frames 1 and 10, where a range was likely meant: say so before anything is queued. */
function warnFrames(plan: readonly PlannedJob[], ctx: CliContext): void {
  for (const job of plan) {
    const parsed = parseFrameSet(job.frames);
    if (parsed.ok) for (const warning of parsed.warnings) ctx.err(`warning: ${job.name}: frames "${job.frames}": ${warning.message}\n`);
  }
}

function toSubmission(batchFlag: string | undefined, positionals: string[], base: SubmitInput, named: boolean, ctx: CliContext): Submission {
  const batches = [...(batchFlag ? [batchFlag] : []), ...positionals.filter(isBatchFile)];
  const scenes = positionals.filter((p) => !isBatchFile(p));
  if (batches.length === 0) {
    if (scenes.length > 1 && named) throw new InputError('--name', 'one --name cannot name several scenes');
    return { kind: 'scenes', inputs: scenes.length ? scenes.map((scene) => ({ ...base, scene })) : [base] };
  }
  if (batches.length > 1) throw new InputError('input', `one batch file at a time (got ${batches.join(', ')})`);
  if (scenes.length > 0) throw new InputError('input', 'give scenes or a batch file, not both');
  if (named) throw new InputError('--name', 'a batch file names its own jobs');
  const file = batches[0]!;
  return { kind: 'batch', batch: readBatchFile(path.resolve(ctx.cwd, file), { display: file, base: absolutePaths(base, ctx.cwd) }) };
}

/** Flags under a batch file are relative to where the user typed them, not to the file. */
function absolutePaths(input: SubmitInput, cwd: string): SubmitInput {
  const out = { ...input };
  if (typeof out.output === 'string') out.output = path.resolve(cwd, out.output);
  if (typeof out.scene === 'string') out.scene = path.resolve(cwd, out.scene);
  return out;
}

/** One scene's errors name the field alone (`frames: …`); several scenes' say which (`jobs[2]: frames: …`). */
async function submitTo(queue: QueueClient, submission: Submission): Promise<JobSummary[]> {
  if (submission.kind === 'batch') return queue.submitBatch(submission.batch);
  if (submission.inputs.length === 1) return [await queue.submit(submission.inputs[0])];
  return queue.submitMany(submission.inputs);
}

/**
 * Queues and follows the jobs. With no engine on the data dir this process runs one; otherwise it
 * queues through the store and watches another engine work, ready to take over if that one goes.
 */
async function submitAndWait(submission: Submission, ctx: CliContext, json: boolean): Promise<number> {
  const host = new WaitingEngine(ctx);
  await host.takeOverIfNone();
  try {
    const store = host.engine ? null : StoreQueue.open(ctx.dataDir, { cwd: ctx.cwd });
    try {
      const queue: QueueClient = host.engine ?? store!;
      const jobs = await submitTo(queue, submission);
      const ids = jobs.map((j) => j.id);
      const registration = registerWaiter(ctx.dataDir, ids);
      try {
        const code = await waitForJobs(ctx, queue, ids, { json, host });
        if (code !== EXIT.interrupted) await renderForOtherWaiters(ctx, queue, host);
        return code;
      } finally {
        registration.remove();
      }
    } finally {
      store?.close();
    }
  } finally {
    await host.stop();
  }
}
