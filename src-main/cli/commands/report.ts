import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../engine/errors';
import type { ReportFormat } from '../../engine/report';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = `spool report [JOB...] [--since DATE] [--format md|json|html] [--out FILE]
                      per job: frames done/failed, render times, failures and what to do next
                      (--since 2024-05-01, 2024-05-01T18:00, 24h, 7d; --out x.html picks html)`;

const FORMATS: readonly ReportFormat[] = ['md', 'json', 'html'];

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    since: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  const format = (values.format ?? formatFromFile(values.out) ?? 'md') as ReportFormat;
  if (!FORMATS.includes(format)) throw new InputError('--format', `expected md, json or html, got "${values.format}"`);
  const since = values.since !== undefined ? parseSince(values.since, Date.now()) : null;
  const { text } = await withQueue(ctx, (queue) => {
    const ids = positionals.length ? positionals.map((ref) => queue.job(ref).id) : undefined;
    return queue.report(format, { ids, since });
  });
  if (values.out) {
    const file = path.resolve(ctx.cwd, values.out);
    writeFileSync(file, text);
    ctx.err(`report written to ${file}\n`);
  } else {
    ctx.out(text);
  }
  return EXIT.ok;
}

function formatFromFile(file: string | undefined): ReportFormat | undefined {
  const ext = file ? path.extname(file).toLowerCase() : '';
  return ext === '.html' || ext === '.htm' ? 'html' : ext === '.json' ? 'json' : ext === '.md' ? 'md' : undefined;
}

/** `24h`, `7d`, `30m` ago, or a date / date-time (local time unless it says otherwise). */
export function parseSince(text: string, now: number): number {
  const relative = /^(\d+)\s*(m|min|h|d|w)$/i.exec(text.trim());
  if (relative) {
    const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2]!.toLowerCase() as 'm'];
    return now - Number(relative[1]) * unit;
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? new Date(`${text.trim()}T00:00`) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new InputError('--since', `expected a date like 2024-05-01, or 24h / 7d ago, got "${text}"`);
  return date.getTime();
}
