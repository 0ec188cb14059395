import { InputError, NotFoundError } from '../engine/errors';
import { DataDirLockedError } from '../engine/lock';
import { StoreError } from '../engine/store';
import { EXIT, makeContext, type CliContext } from './context';
import * as control from './commands/control';
import * as dccs from './commands/dccs';
import * as devices from './commands/devices';
import * as jobs from './commands/jobs';
import * as logs from './commands/logs';
import * as reportCommand from './commands/report';
import * as runEngine from './commands/run';
import * as serve from './commands/serve';
import * as show from './commands/show';
import * as submit from './commands/submit';
import * as watch from './commands/watch';

type Command = { usage: string; run: (argv: string[], ctx: CliContext) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  submit,
  jobs,
  show,
  logs,
  report: reportCommand,
  run: runEngine,
  watch,
  devices,
  dccs,
  serve,
  retry: { usage: control.usage.retry, run: control.command('retry') },
  cancel: { usage: control.usage.cancel, run: control.command('cancel') },
  pause: { usage: control.usage.pause, run: control.command('pause') },
  resume: { usage: control.usage.resume, run: control.command('resume') },
};

const HELP = `Spool — batch render manager

usage: spool [--data-dir DIR] COMMAND [options]

${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n')}

--data-dir DIR (or SPOOL_HOME) chooses where the queue lives. Exit codes: 0 ok, 1 job failed, 2 bad input, 3 not found.
`;

/** Splits off the global --data-dir flag, which may come before or after the command. */
function splitGlobal(argv: string[]): { dataDir?: string; rest: string[] } {
  const rest: string[] = [];
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') {
      dataDir = argv[++i];
      if (dataDir === undefined) throw new InputError('--data-dir', 'needs a folder');
    } else if (arg.startsWith('--data-dir=')) dataDir = arg.slice('--data-dir='.length);
    else rest.push(arg);
  }
  return { dataDir, rest };
}

export async function main(argv: string[]): Promise<number> {
  const ctx = makeContext(undefined);
  try {
    const { dataDir, rest } = splitGlobal(argv);
    const [name, ...args] = rest;
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      ctx.out(HELP);
      return name ? EXIT.ok : EXIT.badInput;
    }
    const command = COMMANDS[name];
    if (!command) throw new InputError('input', `unknown command "${name}" (try spool --help)`);
    if (args.includes('--help') || args.includes('-h')) {
      ctx.out(`${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run(args, makeContext(dataDir));
  } catch (error) {
    return report(error, ctx);
  }
}

function report(error: unknown, ctx: CliContext): number {
  if (error instanceof InputError) {
    ctx.err(`spool: ${error.message}\n`);
    return EXIT.badInput;
  }
  if (error instanceof NotFoundError) {
    ctx.err(`spool: ${error.message}\n`);
    return EXIT.notFound;
  }
  if (error instanceof StoreError || error instanceof DataDirLockedError) {
    ctx.err(`spool: ${error.message}\n`);
    return EXIT.badInput;
  }
  ctx.err(`spool: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

// `spool logs 3 | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`spool: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
