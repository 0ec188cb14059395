import { InputError, NotFoundError } from '../engine/errors';
import { DataDirLockedError } from '../engine/lock';
import { StoreError } from '../engine/store';
import { EXIT, makeContext, type CliContext } from './context';

type Command = { usage: string; run: (argv: string[], ctx: CliContext) => Promise<number> };

/**
 * Loaded on use: a command brings only its own modules (no WebSocket server for `submit`, no
 * hardware probing for `jobs`), which keeps start-up short for the commands scripts call in loops.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  submit: () => import('./commands/submit'),
  modify: () => import('./commands/modify'),
  jobs: () => import('./commands/jobs'),
  show: () => import('./commands/show'),
  logs: () => import('./commands/logs'),
  frames: () => import('./commands/frames'),
  report: () => import('./commands/report'),
  run: () => import('./commands/run'),
  watch: () => import('./commands/watch'),
  devices: () => import('./commands/devices'),
  dccs: () => import('./commands/dccs'),
  serve: () => import('./commands/serve'),
  farm: () => import('./commands/farm'),
  retry: () => controlCommand('retry'),
  cancel: () => controlCommand('cancel'),
  pause: () => controlCommand('pause'),
  resume: () => controlCommand('resume'),
};

async function controlCommand(name: 'retry' | 'cancel' | 'pause' | 'resume'): Promise<Command> {
  const control = await import('./commands/control');
  return { usage: control.usage[name], run: control.command(name) };
}

async function help(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return `Spool — batch render manager

usage: spool [--data-dir DIR] COMMAND [options]

${commands.map((c) => c.usage).join('\n')}

--data-dir DIR (or SPOOL_HOME) chooses where the queue lives. Exit codes: 0 ok, 1 job failed, 2 bad input, 3 not found.
`;
}

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
      ctx.out(await help());
      return name ? EXIT.ok : EXIT.badInput;
    }
    const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!load) throw new InputError('input', `unknown command "${name}" (try spool --help)`);
    const command = await load();
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
