import { activeElapsedMs } from '../../engine/lifecycle';
import { formatDuration } from '../../engine/supervisor/format-duration';
import { InputError } from '../../engine/errors';
import { farmInfoLines } from '../../engine/farm/farm-info';
import { formatFrameSet } from '../../engine/frames';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { jobDetailJson } from '../job-json';
import { withQueue } from '../queue';

export const usage = `spool show JOB [--json]   one job: frames by state, attempts and failure reasons`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  const ref = positionals[0];
  if (!ref) throw new InputError('JOB', 'which job? pass its id or name');
  const detail = await withQueue(ctx, (queue) => queue.jobDetail(ref));
  if (values.json) {
    ctx.out(`${JSON.stringify(jobDetailJson(detail), null, 2)}\n`);
    return EXIT.ok;
  }
  const { job } = detail;
  ctx.out(`job ${job.id} "${job.name}" — ${job.status}\n`);
  ctx.out(`  dcc ${job.dcc}  scene ${job.scene ?? '(none)'}\n`);
  ctx.out(`  frames ${job.framesText} (${job.frameCount})  output ${job.output ?? "(the scene's own)"}\n`);
  const wall = activeElapsedMs(job, Date.now());
  if (job.medianFrameMs !== null || wall !== null) {
    ctx.out(`  per frame ${job.medianFrameMs === null ? '—' : formatDuration(job.medianFrameMs)} (median render time)  wall time ${wall === null ? '—' : formatDuration(wall)}\n`);
  }
  if (job.reason) ctx.out(`  reason: ${job.reason}\n`);
  for (const line of detail.farm ? farmInfoLines(detail.farm) : []) ctx.out(`  ${line}\n`);
  if (detail.deps?.length) ctx.out(`  after: ${detail.deps.map((d) => `${d.id} "${d.name}" (${d.status})`).join(', ')}\n`);
  const byState = new Map<string, number[]>();
  for (const frame of detail.frames) byState.set(frame.state, [...(byState.get(frame.state) ?? []), frame.frame]);
  for (const [state, frames] of byState) ctx.out(`  ${state.padEnd(8)} ${frames.length} · ${formatFrameSet(frames)}\n`);
  for (const attempt of detail.attempts) {
    const end = attempt.endedAt === null ? 'running' : attempt.reason ?? 'ok';
    const unit = attempt.role === 'step' ? `step ${attempt.taskIndex + 1}` : `chunk ${attempt.taskIndex + 1} (frames ${attempt.frames})`;
    ctx.out(`  attempt ${attempt.number} · ${unit}${attempt.farmId ? ` · farm ${attempt.farmId}` : ''}: ${end}\n`);
  }
  for (const step of detail.steps ?? []) {
    const tries = step.attempts > 1 ? `, ${step.attempts} runs` : '';
    const what = step.reason ? ` — ${step.reason}` : step.outputs.length ? ` → ${step.outputs.join(', ')}` : '';
    ctx.out(`  step ${step.index + 1} ${step.kind}: ${step.state}${tries}${what}\n`);
  }
  return EXIT.ok;
}
