import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../engine/errors';
import { describeMapping, parsePathMapArg, type FarmProfile } from '../../engine/farm/profile';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = `spool farm add slurm NAME [--partition P] [--sbatch-arg ARG]… [--path-map LOCAL=FARM]…
spool farm add flamenco NAME --url URL [--path-map LOCAL=FARM]… [--token-file PATH]
                            a farm jobs can be handed to (spool submit --farm NAME); LOCAL=FARM: a folder both see;
                            --token-file: a token the Manager wants, copied to a private file beside the queue
                            (never into the queue database, never printed)
spool farm list [--json]    the farm profiles
spool farm test NAME        does the farm answer, and can it write each mapped folder? (Slurm: a tiny job;
                            Flamenco: the Manager's version, job type, status and its shared-storage check)
spool farm remove NAME      forget a farm profile (refused while a job still renders there)`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [action, ...rest] = argv;
  switch (action) {
    case 'add':
      return add(rest, ctx);
    case 'list':
    case undefined:
      return list(rest, ctx);
    case 'test':
      return test(rest, ctx);
    case 'remove':
      return remove(rest, ctx);
    default:
      throw new InputError('input', `unknown farm action "${action}" (try: spool farm add|list|test|remove)`);
  }
}

async function add(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(attachDashValues(argv, ['--sbatch-arg']), {
    partition: { type: 'string' },
    'sbatch-arg': { type: 'string', multiple: true },
    'path-map': { type: 'string', multiple: true },
    url: { type: 'string' },
    'token-file': { type: 'string' },
  });
  const [kind, name, extra] = positionals;
  if (kind !== 'slurm' && kind !== 'flamenco') throw new InputError('input', 'which kind of farm? usage: spool farm add slurm|flamenco NAME …');
  if (!name) throw new InputError('NAME', `which name? usage: spool farm add ${kind} NAME …`);
  if (extra !== undefined) throw new InputError('input', `unexpected argument "${extra}"`);
  // Local sides are this machine's folders: relative ones are read from here.
  const pathMap = (values['path-map'] ?? []).map(parsePathMapArg).map((m) => ({ ...m, local: path.resolve(ctx.cwd, m.local) }));
  if (kind === 'slurm' && values.url !== undefined) throw new InputError('--url', 'is for a Flamenco farm');
  if (kind === 'slurm' && values['token-file'] !== undefined) throw new InputError('--token-file', 'is for a Flamenco farm');
  if (kind === 'flamenco' && (values.partition !== undefined || values['sbatch-arg'] !== undefined)) throw new InputError(values.partition !== undefined ? '--partition' : '--sbatch-arg', 'is for a Slurm farm');
  const input =
    kind === 'slurm'
      ? { kind, name, partition: values.partition ?? null, sbatchArgs: values['sbatch-arg'] ?? [], pathMap }
      : { kind, name, url: values.url, pathMap, ...(values['token-file'] !== undefined ? { token: readTokenFile(path.resolve(ctx.cwd, values['token-file'])) } : {}) };
  if (kind === 'flamenco' && values.url === undefined) throw new InputError('--url', 'a Flamenco farm needs the Manager’s URL, e.g. --url http://manager:8080');
  const saved = await withQueue(ctx, (queue) => queue.saveFarm(input));
  ctx.out(`${describe(saved)}\nCheck it with: spool farm test ${saved.name}\n`);
  return EXIT.ok;
}

async function list(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } }, false);
  const farms = await withQueue(ctx, (queue) => queue.farms());
  if (values.json) ctx.out(`${JSON.stringify(farms)}\n`);
  else if (farms.length === 0) ctx.out('No farm. Add one with: spool farm add slurm NAME --path-map LOCAL=FARM\n');
  else for (const farm of farms) ctx.out(`${describe(farm)}\n`);
  return EXIT.ok;
}

async function test(argv: string[], ctx: CliContext): Promise<number> {
  const { positionals } = parse(argv, {});
  const [name] = positionals;
  if (!name) throw new InputError('NAME', 'which farm? usage: spool farm test NAME');
  const result = await withQueue(ctx, async (queue) => {
    ctx.out(`Testing ${describe(queue.farm(name))}\n`);
    return queue.testFarm(name);
  });
  for (const check of result.checks) ctx.out(`  ${check.text}\n`);
  ctx.out(result.ok ? `Farm ${name} is ready.\n` : `Farm ${name} is not ready: see above.\n`);
  return result.ok ? EXIT.ok : EXIT.jobFailed;
}

async function remove(argv: string[], ctx: CliContext): Promise<number> {
  const { positionals } = parse(argv, {});
  const [name] = positionals;
  if (!name) throw new InputError('NAME', 'which farm? usage: spool farm remove NAME');
  await withQueue(ctx, (queue) => queue.removeFarm(name));
  ctx.out(`Removed farm ${name}.\n`);
  return EXIT.ok;
}

function describe(farm: FarmProfile): string {
  const where = farm.kind === 'slurm' ? `slurm${farm.partition ? `, partition ${farm.partition}` : ''}${farm.sbatchArgs.length ? `, sbatch ${farm.sbatchArgs.join(' ')}` : ''}` : `flamenco at ${farm.url}`;
  return `${farm.name}  (${where}); shared folders: ${describeMapping(farm.pathMap)}`;
}

/** The token as the file holds it; the schema trims it and says what is wrong with it. */
function readTokenFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('--token-file', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** `--sbatch-arg --time=60`: the value is itself a flag, which parseArgs would refuse as ambiguous. */
function attachDashValues(argv: string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (flags.includes(arg) && next !== undefined) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}
