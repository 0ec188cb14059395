import { farmInfoLines } from '../farm/farm-info';
import { formatDuration } from '../supervisor/format-duration';
import type { JobReport, Report } from './build';

/** The report as Markdown: reads as plain text in a terminal, renders in a tracker or wiki. */
export function reportMarkdown(report: Report): string {
  const out: string[] = [];
  const t = report.totals;
  out.push(`# Spool render report`, '');
  out.push(`Generated ${isoMinute(report.generatedAt)}${report.since !== null ? ` · jobs since ${isoMinute(report.since)}` : ''}`, '');
  const statuses = Object.entries(t.byStatus)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  out.push(
    `**${t.jobs} job${t.jobs === 1 ? '' : 's'}** (${statuses || 'none'}) · **${t.framesDone}/${t.frames} frames** done` +
      `${t.framesFailed ? ` · ${t.framesFailed} failed` : ''} · ${formatDuration(t.renderMs)} of rendering`,
    '',
  );
  if (report.nextSteps.length > 0) {
    out.push('## What to do next', '');
    for (const step of report.nextSteps) out.push(`- ${step}`);
    out.push('');
  }
  if (report.jobs.length > 0) {
    out.push('| Job | Status | Frames | Failed | Render time (min / median / max) | Wall time |', '|---|---|---|---|---|---|');
    for (const job of report.jobs) {
      out.push(
        `| ${job.id} ${cell(job.name)} | ${job.status} | ${job.framesDone}/${job.frameCount} | ${job.framesFailed} | ${timeCell(job)} | ${job.wallMs !== null ? formatDuration(job.wallMs) : '–'} |`,
      );
    }
    out.push('');
  }
  for (const job of report.jobs) out.push(...jobSection(job));
  return `${out.join('\n').trimEnd()}\n`;
}

function jobSection(job: JobReport): string[] {
  const out = [`## Job ${job.id}: ${job.name} — ${job.status}`, ''];
  if (job.reason) out.push(`> ${job.reason}`, '');
  out.push(`- DCC: ${job.dcc}${job.scene ? ` · scene \`${job.scene}\`` : ''}`);
  out.push(`- Frames: ${job.framesText} — ${job.framesDone} done, ${job.framesFailed} failed${job.framesCanceled ? `, ${job.framesCanceled} canceled` : ''}${job.framesSuspended ? `, ${job.framesSuspended} suspended` : ''}${job.framesLeft ? `, ${job.framesLeft} to go` : ''}`);
  if (job.renderTime) {
    const r = job.renderTime;
    out.push(`- Render time: ${formatDuration(r.totalMs)} in total; per frame ${formatDuration(r.minMs)} min, ${formatDuration(r.medianMs)} median, ${formatDuration(r.maxMs)} max`);
  }
  out.push(`- Attempts: ${job.attempts.total}${job.attempts.failed ? ` (${job.attempts.failed} failed)` : ''}${job.devices.length ? ` on ${job.devices.join(', ')}` : ''}`);
  for (const line of job.farm ? farmInfoLines(job.farm) : []) out.push(`- Farm: ${line.replace(/^farm /, '')}`);
  if (job.output.folder) out.push(`- Output: \`${job.output.folder}\`${job.output.first ? ` (\`${basename(job.output.first)}\` … \`${basename(job.output.last!)}\`)` : ''}`);
  if (job.after.length) out.push(`- After: ${job.after.map((d) => `${d.id} ${d.name} (${d.status})`).join(', ')}`);
  if (job.tags.length) out.push(`- Tags: ${job.tags.join(', ')}`);
  for (const step of job.steps) {
    out.push(`- Step ${step.index + 1}, ${step.kind}: ${step.state}${step.reason ? ` — ${step.reason}` : ''}${step.outputs.length ? ` → ${step.outputs.map((o) => `\`${o}\``).join(', ')}` : ''}`);
  }
  if (job.failures.length) {
    out.push('', '| Frames | Reason | Retried |', '|---|---|---|');
    for (const f of job.failures) out.push(`| ${f.frameSet} (${f.frames.length}) | ${cell(f.reason)} | ${f.notRetried ? 'no' : 'yes'} |`);
  }
  if (job.nextSteps.length) {
    out.push('', '**Next:**');
    for (const step of job.nextSteps) out.push(`- ${step}`);
  }
  out.push('');
  return out;
}

function timeCell(job: JobReport): string {
  const r = job.renderTime;
  return r ? `${formatDuration(r.minMs)} / ${formatDuration(r.medianMs)} / ${formatDuration(r.maxMs)}` : '–';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
