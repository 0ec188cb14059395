import path from 'node:path';
import { InputError } from '../../engine/errors';
import { checkUserExecutable } from '../../engine/executables';
import { parse } from '../args';
import { EXIT, type CliContext } from '../context';
import { withQueue } from '../queue';

export const usage = `spool dccs [--json]        the DCCs installed here, with versions (newest first); "used" marks the one renders run
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
    const note = install.supported === false ? '  found, not supported yet' : install.used ? '  used' : '';
    ctx.out(`${install.dcc.padEnd(15)} ${(install.version ?? '?').padEnd(12)} ${install.executable}  (${install.source})${note}\n`);
  }
  return EXIT.ok;
}

async function add(target: string | undefined, ctx: CliContext): Promise<number> {
  if (!target) throw new InputError('PATH', 'which executable? usage: spool dccs add PATH');
  // Settings checks the same way (engine/executables.ts); here the DCC is named from the file.
  const { dcc, executable: file } = checkUserExecutable({ executable: path.resolve(ctx.cwd, target) }, () => 'PATH');
  await withQueue(ctx, async (queue) => {
    // Several versions of one DCC side by side are normal: each added path is kept.
    const others = queue.readSetting('dccs.user').filter((u) => u.executable !== file);
    queue.writeSetting('dccs.user', [...others, { dcc, executable: file }]);
    await queue.dccs(true);
  });
  ctx.out(`${dcc}: ${file}\n`);
  return EXIT.ok;
}
