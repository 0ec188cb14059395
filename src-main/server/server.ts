import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { contentSecurityPolicy, securityHeaders } from '../api/csp';
import { createDispatcher, type Detectors } from '../api/dispatch';
import { createEventBatcher } from '../api/event-batcher';
import type { Engine } from '../engine/engine';
import { handleApi } from './api-route';
import { type KeptToken, allowedHost, allowedOrigin, isAuthorized, keptToken, OneTimeLinks, tokenCookie, tokensMatch } from './auth';
import { guardConnections, type GuardLimits } from './connection-guard';
import { handleFrame } from './frame-route';
import { sendText } from './respond';
import { handleStatic } from './static-route';
import { createEventSocket, refuseUpgrade } from './websocket';

export interface ServerOptions {
  engine: Engine;
  /** Loopback only: browser mode has no user accounts, only a token. */
  host: '127.0.0.1';
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Where the token file goes (the engine's data dir). */
  dataDir: string;
  detectors?: Detectors;
  /** Make a new token instead of keeping the one in the data dir (`spool serve --new-token`). */
  newToken?: boolean;
  /** Connection limits (tests); by default sized from the descriptor limit. */
  connections?: GuardLimits;
}

export interface RunningServer {
  /** Ready to open: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  token: string;
  /** Why the token is new (null: the kept one, so open tabs keep working). */
  tokenRenewed: KeptToken['renewed'];
  port: number;
  /** A one-time address for a browser started on the user's behalf (`/open/<nonce>`; no token in it). */
  openLink(): string;
  /** Stops serving; the engine is the caller's to stop. */
  close(): Promise<void>;
}

/** Browser mode: the renderer, the contract's commands over HTTP and its events over a WebSocket. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (options.host !== '127.0.0.1') throw new Error(`browser mode listens on 127.0.0.1 only, not ${String(options.host)}`);
  const { engine, rendererDir } = options;
  const { token, renewed } = keptToken(options.dataDir, { rotate: options.newToken });
  // Made once the port is known; a log read delivers its gathered lines first (see beforeLogRead).
  let deliverGathered = (): void => {};
  const dispatch = createDispatcher(engine, { mode: 'browser', detectors: options.detectors, beforeLogRead: () => deliverGathered() });
  const events = createEventSocket();
  const links = new OneTimeLinks();
  let port = 0;
  let headers: Record<string, string> = {};

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const raw = req.url ?? '';
    if (!raw.startsWith('/')) return sendText(res, 400, 'bad request');
    if (!allowedHost(req.headers.host, port) || !allowedOrigin(req.headers.origin, port)) {
      return sendText(res, 403, 'forbidden: Spool answers only its own pages on 127.0.0.1');
    }
    const url = new URL(raw, `http://127.0.0.1:${port}`);
    const opening = /^\/open\/([A-Za-z0-9_-]{1,100})$/.exec(url.pathname);
    if (opening) {
      if (req.method !== 'GET' || !links.redeem(opening[1]!)) return sendText(res, 401, 'this address works once, for a minute: open the one `spool serve` printed');
      guard.prove(req.socket);
      res.setHeader('Set-Cookie', tokenCookie(port, token));
      res.writeHead(303, { Location: '/', 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!isAuthorized(req, url, port, token)) {
      return sendText(res, 401, 'unauthorized: open the address `spool serve` printed (it carries the token)');
    }
    guard.prove(req.socket);
    // The first page load carries ?token=; the cookie lets its assets, API calls and WebSocket follow.
    if (tokensMatch(token, url.searchParams.get('token'))) res.setHeader('Set-Cookie', tokenCookie(port, token));

    const rawPath = raw.split('?', 1)[0]!;
    if (rawPath.startsWith('/api/')) return handleApi(req, res, rawPath.slice('/api/'.length), dispatch);
    if (rawPath === '/files/frame') return handleFrame(req, res, url, engine);
    if (rawPath === '/ws') return sendText(res, 426, 'upgrade required', { Upgrade: 'websocket' });
    return handleStatic(req, res, rawPath, rendererDir);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const raw = req.url ?? '';
    if (raw.split('?', 1)[0] !== '/ws') return refuseUpgrade(socket, 404);
    if (!allowedHost(req.headers.host, port) || !allowedOrigin(req.headers.origin, port)) return refuseUpgrade(socket, 403);
    const url = new URL(raw, `http://127.0.0.1:${port}`);
    if (!isAuthorized(req, url, port, token)) return refuseUpgrade(socket, 401);
    guard.prove(req.socket);
    events.accept(req, socket, head);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      process.stderr.write(`spool serve: ${req.method} ${req.url?.slice(0, 200)} failed: ${String(error)}\n`);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_error, socket) => socket.destroy());
  const guard = guardConnections(server, options.connections);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: options.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    guard.close();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  headers = securityHeaders(contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]));
  const batcher = createEventBatcher(engine, (event, payload) => events.broadcast(event, payload));
  deliverGathered = () => batcher.flush();

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    tokenRenewed: renewed,
    port,
    openLink: () => `http://127.0.0.1:${port}/open/${links.create()}`,
    close() {
      closing ??= (async () => {
        batcher.close();
        events.close();
        guard.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
