import { existsSync } from 'node:fs';
import path from 'node:path';
import { identifyExecutable } from '../../engine/detect/dcc-discovery';
import { InputError } from '../../engine/errors';
import { isExecutable } from '../../engine/find-executable';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = `spool dccs [--json]        the DCCs installed here, with versions (newest first)
spool dccs add PATH         use this executable for its DCC (it is found again on every detection)`;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  const [action, target] = positionals;
  if (action === 'add') return add(target, ctx);
  if (action !== undefined) throw new InputError('input', `unknown dccs action "${action}" (try: spool dccs add PATH)`);
  const installs = await withQueue(ctx, (queue) => queue.dccs(true));
  if (values.json) {
    ctx.out(`${JSON.stringify(installs)}\n`);
    return EXIT.ok;
  }
  if (installs.length === 0) ctx.out('No DCC found. Add one with: spool dccs add /path/to/blender\n');
  for (const install of installs) {
    ctx.out(`${install.dcc.padEnd(15)} ${(install.version ?? '?').padEnd(12)} ${install.executable}  (${install.source})\n`);
  }
  return EXIT.ok;
}

async function add(target: string | undefined, ctx: CliContext): Promise<number> {
  if (!target) throw new InputError('PATH', 'which executable? usage: spool dccs add PATH');
  const file = path.resolve(ctx.cwd, target);
  if (!existsSync(file)) throw new InputError('PATH', `no such file: ${file}`);
  if (!isExecutable(file)) throw new InputError('PATH', `${file} is not an executable file`);
  const dcc = identifyExecutable(file);
  if (!dcc) throw new InputError('PATH', `${path.basename(file)} is not a DCC executable Spool knows (blender, Render, hython, husk, Nuke…)`);
  await withQueue(ctx, async (queue) => {
    // Several versions of one DCC side by side are normal: each added path is kept.
    const others = queue.readSetting('dccs.user').filter((u) => u.executable !== file);
    queue.writeSetting('dccs.user', [...others, { dcc, executable: file }]);
    await queue.dccs(true);
  });
  ctx.out(`${dcc}: ${file}\n`);
  return EXIT.ok;
}
