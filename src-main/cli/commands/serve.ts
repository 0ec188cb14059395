import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../engine/engine';
import { DataDirLockedError } from '../../engine/lock';
import { keptToken, TOKEN_FILE } from '../../server/auth';
import { startServer } from '../../server/server';
import { rendererIsBuilt } from '../../server/static-route';
import { intFlag, parse } from '../args';
import { EXIT, type CliContext } from '../context';

export const usage = `spool serve [--port N] [--open] [--new-token]   browser mode: the UI on http://127.0.0.1:N (default 7878, 0 = any free port) with a token kept in the data dir
spool serve --print-url [--port N]   print that address (the kept token) and exit, starting nothing`;

const DEFAULT_PORT = 7878;

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(
    argv,
    { port: { type: 'string' }, open: { type: 'boolean' }, 'new-token': { type: 'boolean' }, 'print-url': { type: 'boolean' } },
    false,
  );
  const port = intFlag('port', values.port) ?? DEFAULT_PORT;
  if (port < 0 || port > 65535) {
    ctx.err('spool: --port: expected 0 to 65535\n');
    return EXIT.badInput;
  }
  if (values['print-url']) return printUrl(port, values, ctx);

  let engine: Engine;
  try {
    engine = await Engine.start({ dataDir: ctx.dataDir });
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    ctx.err(
      `spool: another Spool (pid ${error.owner.pid}) already runs the queue in ${ctx.dataDir}.\n` +
        'Use that one (the app, or the browser address it printed), stop it first, or pass another --data-dir.\n',
    );
    return EXIT.badInput;
  }

  const rendererDir = findRendererDir();
  let server;
  try {
    server = await startServer({ engine, host: '127.0.0.1', port, rendererDir, dataDir: ctx.dataDir, newToken: values['new-token'] });
  } catch (error) {
    await engine.stop();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      ctx.err(`spool: port ${port} is in use; pick another with --port N (or --port 0 for any free one)\n`);
      return EXIT.badInput;
    }
    throw error;
  }

  if (server.tokenRenewed === 'unsafe') ctx.err(`spool: ${TOKEN_FILE} in the data dir could be read by others (or was not a plain file of yours): made a new token\n`);
  if (server.tokenRenewed === 'damaged') ctx.err(`spool: ${TOKEN_FILE} in the data dir was damaged: made a new token\n`);
  if (!rendererIsBuilt(rendererDir)) ctx.err(`spool: the interface is not built (${rendererDir}); run npm run build:renderer. The API works.\n`);
  // The address is also printed alone on its own line, for scripts and tests to pick up.
  ctx.out(`Spool is ready: ${server.url}\n`);
  ctx.out(`${server.url}\n`);
  ctx.out(
    `Queue in ${ctx.dataDir}. The address carries the access token, kept in the data dir so open tabs reconnect after a restart: ` +
      'keep it to yourself (`spool serve --new-token` replaces it). Ctrl-C stops Spool; running renders go back to the queue.\n',
  );
  // The browser's command line is readable by every local user: it gets a one-time address, never the token.
  if (values.open) openBrowser(server.openLink(), ctx);

  // process.on, not once, and kept until the end: execa's signal-exit re-raises a signal (killing
  // us before the engine has stopped) when it finds no other listener left for it.
  let onSignal = (): void => undefined;
  const stopRequested = new Promise<void>((resolve) => (onSignal = () => resolve()));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await stopRequested;
    ctx.err('Stopping: running renders go back to the queue…\n');
    await server.close();
    await engine.stop();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return EXIT.ok;
}

/**
 * The address of a server on this data dir and port, for a tab closed by mistake or a script: it
 * starts nothing (the server may well be running), so it cannot know a port picked at random.
 */
function printUrl(port: number, values: { 'new-token'?: boolean; open?: boolean }, ctx: CliContext): number {
  if (port === 0) {
    ctx.err('spool: --print-url needs the port the server uses (--port N); 0 picks a random one\n');
    return EXIT.badInput;
  }
  if (values['new-token'] || values.open) {
    ctx.err('spool: --print-url only prints; a new token takes effect when a server starts: spool serve --new-token\n');
    return EXIT.badInput;
  }
  mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
  const { token } = keptToken(ctx.dataDir);
  ctx.out(`http://127.0.0.1:${port}/?token=${token}\n`);
  return EXIT.ok;
}

/**
 * The bundle lives in out/node, the renderer build in out/renderer. SPOOL_RENDERER_DIR overrides
 * (packaging, tests); running from sources falls back to the repo's out/renderer.
 */
function findRendererDir(): string {
  if (process.env.SPOOL_RENDERER_DIR) return path.resolve(process.env.SPOOL_RENDERER_DIR);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../renderer'), path.resolve(here, '../../../out/renderer')];
  return candidates.find(rendererIsBuilt) ?? candidates[0]!;
}

function openBrowser(url: string, ctx: CliContext): void {
  const [file, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  if (process.platform !== 'win32' && !existsOnPath(file)) {
    ctx.err(`spool: could not find ${file} to open a browser; open the address above yourself\n`);
    return;
  }
  const child = spawn(file, args, { stdio: 'ignore', detached: true });
  child.on('error', () => ctx.err('spool: could not open a browser; open the address above yourself\n'));
  child.unref();
}

function existsOnPath(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, name)));
}
