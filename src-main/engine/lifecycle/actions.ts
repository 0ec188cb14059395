import type { JobAction, JobStatus } from '../types';
import { nextIntent, type IntentEvent } from './intent';
import type { JobIntent } from '../types';

/** What decides which actions a job takes: its summary, plus the jobs still waiting for it. */
export interface ActionFacts {
  id: number;
  status: JobStatus;
  intent: JobIntent;
  framesFailed: number;
  /** Jobs that wait for this one and are not finished: deleting it would strand them. */
  waitingDependents: readonly { id: number; name: string }[];
}

/**
 * `apply`: the action changes something; `noop`: it is already so (pausing a paused job), which
 * the engine answers with the job as it is; otherwise the refusal a user reads.
 */
export type ActionCheck = { kind: 'apply' } | { kind: 'noop' } | { kind: 'refused'; reason: string };

const APPLY: ActionCheck = { kind: 'apply' };
const NOOP: ActionCheck = { kind: 'noop' };
const refused = (reason: string): ActionCheck => ({ kind: 'refused', reason });

export const JOB_ACTIONS: readonly JobAction[] = ['pause', 'resume', 'cancel', 'retry', 'duplicate', 'delete', 'setPriority', 'modify'];

/** The one rule for every face: the engine's commands, the CLI's messages and the UI's buttons. */
export function checkAction(action: JobAction, job: ActionFacts): ActionCheck {
  switch (action) {
    case 'pause':
    case 'resume':
    case 'cancel':
    case 'retry':
      return checkIntentAction(action, job);
    case 'duplicate':
    case 'setPriority':
      return APPLY;
    case 'modify':
      return checkModify(job);
    case 'delete': {
      if (job.status === 'running') return refused(`job ${job.id} is rendering; cancel it before deleting`);
      const waiting = job.waitingDependents;
      if (waiting.length === 0) return APPLY;
      const names = waiting.map((d) => `${d.id} "${d.name}"`).join(', ');
      return refused(`job ${names} waits for job ${job.id}; cancel or delete ${waiting.length > 1 ? 'them' : 'it'} first`);
    }
  }
}

function checkIntentAction(event: IntentEvent, job: ActionFacts): ActionCheck {
  const next = nextIntent(job.intent, event);
  if (!next.ok) {
    return refused(
      event === 'resume'
        ? `job ${job.id} was canceled; use retry to render its remaining frames`
        : `job ${job.id} was canceled; there is nothing to ${event}`,
    );
  }
  switch (event) {
    case 'pause':
      return job.status === 'queued' || job.status === 'running' || job.status === 'blocked' ? APPLY : NOOP;
    case 'resume':
      // A pause still waiting for its frame (intent paused, work running) can be taken back.
      return job.status === 'paused' || job.intent === 'paused' ? APPLY : NOOP;
    case 'cancel':
      return job.status === 'succeeded' || job.status === 'failed' || job.status === 'canceled' ? NOOP : APPLY;
    case 'retry':
      return job.status === 'failed' || job.status === 'canceled' || job.framesFailed > 0 ? APPLY : NOOP;
  }
}

/**
 * A job can be changed while nothing of it runs: queued, blocked or paused. Its running work is
 * never touched, so a job still finishing its frame before a pause waits for that frame.
 */
function checkModify(job: ActionFacts): ActionCheck {
  switch (job.status) {
    case 'queued':
    case 'blocked':
    case 'paused':
      return APPLY;
    case 'running':
      return refused(
        job.intent === 'paused'
          ? `job ${job.id} is pausing: it can be modified once the frame in progress is saved (or pause it now)`
          : `job ${job.id} is rendering; pause it first, then modify it`,
      );
    case 'succeeded':
    case 'failed':
    case 'canceled':
      return refused(`job ${job.id} has finished (${job.status}); duplicate it to render again with changes`);
  }
}

/** The actions that would change something now: what the UI enables. */
export function allowedActions(job: ActionFacts): JobAction[] {
  return JOB_ACTIONS.filter((action) => checkAction(action, job).kind === 'apply');
}
