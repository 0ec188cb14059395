import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../engine/errors';
import type { WatchAllow } from '../../engine/settings';
import { intFlag, parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';
import { JOB_FLAGS } from '../job-flags';

export const usage = `spool watch DIR [--frames SET] [--output PATTERN] [--priority N] …   queue scenes and batch files saved into DIR
                      (once each, after they stop changing; a running engine does it). spool watch --list, --remove DIR
  What a dropped file may ask for is opt-in per folder (anyone who can write there chooses it):
  --dcc NAME          the folder's DCC (allowed)    --allow-dcc blender,povray   more DCCs for dropped scenes and batch jobs
  --allow-batch       queue batch files dropped there
  --allow-command     let dropped files bring command templates, executables and command steps (they run any program)`;

/** The submit flags a folder's defaults take, by their batch-file names. */
const OPTIONS = {
  ...JOB_FLAGS,
  'allow-dcc': { type: 'string', multiple: true },
  'allow-batch': { type: 'boolean' },
  'allow-command': { type: 'boolean' },
  list: { type: 'boolean' },
  remove: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  return withQueue(ctx, (queue, engineRunning) => {
    if (values.remove !== undefined) {
      const removed = queue.unwatchFolder(path.resolve(ctx.cwd, values.remove));
      ctx.out(removed ? `no longer watching ${path.resolve(ctx.cwd, values.remove)}\n` : `${values.remove} was not watched\n`);
      return EXIT.ok;
    }
    if (values.list || positionals.length === 0) {
      const folders = queue.watchFolders();
      if (values.json) ctx.out(`${JSON.stringify(folders, null, 2)}\n`);
      else if (folders.length === 0) ctx.out('No watch folders. Add one with: spool watch DIR --frames 1-100\n');
      else for (const f of folders) ctx.out(`${f.dir}  ${describeDefaults(f.defaults)}${describeAllow(f.allow)}\n`);
      return EXIT.ok;
    }
    if (positionals.length > 1) throw new InputError('DIR', 'one folder at a time');
    const dir = path.resolve(ctx.cwd, positionals[0]!);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError('DIR', `not a folder: ${dir}`);
    const folder = queue.watchFolder(dir, defaultsFrom(values, ctx.cwd), allowFrom(values));
    ctx.out(`watching ${folder.dir}  ${describeDefaults(folder.defaults)}${describeAllow(folder.allow)}\n`);
    if (!folder.defaults.dcc && !folder.allow?.dccs?.length && !folder.allow?.command) {
      ctx.err('Nothing dropped there renders until you allow a DCC: --dcc NAME or --allow-dcc blender,povray (and --allow-batch for batch files).\n');
    }
    if (!engineRunning) ctx.err('No Spool engine is running: files saved there are queued once one runs (`spool run`).\n');
    return EXIT.ok;
  });
}

function defaultsFrom(values: ReturnType<typeof parse<typeof OPTIONS>>['values'], cwd: string): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (values.frames !== undefined) d.frames = values.frames;
  if (values.chunk !== undefined) d.chunk = values.chunk === 'auto' ? 'auto' : intFlag('chunk', values.chunk);
  if (values.output !== undefined) d.output = path.resolve(cwd, values.output);
  if (values.dcc !== undefined) d.dcc = values.dcc;
  if (values.template !== undefined) d.template = values.template;
  if (values.priority !== undefined) d.priority = intFlag('priority', values.priority);
  if (values.retries !== undefined) d.retries = intFlag('retries', values.retries);
  if (values.device !== undefined) d.device = values.device;
  if (values.camera !== undefined) d.camera = values.camera;
  if (values.layer !== undefined) d.layer = values.layer;
  if (values.samples !== undefined) d.samples = intFlag('samples', values.samples);
  if (values.threads !== undefined) d.threads = intFlag('threads', values.threads);
  if (values.format !== undefined) d.format = values.format;
  if (values.timeout !== undefined) d.timeout = /^\d+$/.test(values.timeout) ? Number(values.timeout) : values.timeout;
  if (values['stall-timeout'] !== undefined) d.stall_timeout = /^\d+$/.test(values['stall-timeout']) ? Number(values['stall-timeout']) : values['stall-timeout'];
  if (values.executable !== undefined) d.executable = path.resolve(cwd, values.executable);
  return d;
}

function allowFrom(values: ReturnType<typeof parse<typeof OPTIONS>>['values']): WatchAllow {
  const allow: WatchAllow = {};
  const dccs = (values['allow-dcc'] ?? []).flatMap((list) => list.split(',')).map((d) => d.trim()).filter(Boolean);
  if (dccs.length > 0) allow.dccs = [...new Set(dccs)];
  if (values['allow-batch']) allow.batch = true;
  if (values['allow-command']) allow.command = true;
  return allow;
}

function describeAllow(allow: WatchAllow | undefined): string {
  if (!allow) return '';
  const parts = [...(allow.dccs?.length ? [`dccs=${allow.dccs.join(',')}`] : []), ...(allow.batch ? ['batch'] : []), ...(allow.command ? ['command'] : [])];
  return parts.length ? `  allows: ${parts.join(' ')}` : '';
}

function describeDefaults(defaults: Record<string, unknown>): string {
  const parts = Object.entries(defaults).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(' ') : '(no defaults: frames come from each scene)';
}
