import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Any local process can connect to browser mode; only the token holder is served. Connections
 * that have not shown the token are few and short-lived here, because each one costs a file
 * descriptor the engine needs for its renders' pipes and logs (1,100 idle sockets made every
 * render fail with EMFILE). A connection is "proven" once one of its requests carried the token.
 */
export interface GuardLimits {
  /** Connections that have not shown the token yet; past this the oldest one is dropped. */
  maxUnproven: number;
  /** How long a connection may stay open without showing the token. */
  unprovenMs: number;
  /** All connections together: what is left of the descriptor limit stays the engine's. */
  maxConnections: number;
}

/**
 * A quarter of the process's descriptors at most go to connections (256 of the usual 1,024),
 * and half of those to connections without the token: the rest stay the engine's.
 */
export function defaultLimits(descriptors = descriptorLimit()): GuardLimits {
  const maxConnections = Math.max(8, Math.min(256, Math.floor(descriptors / 4)));
  return { maxConnections, maxUnproven: Math.min(64, Math.floor(maxConnections / 2)), unprovenMs: 5_000 };
}

/** The soft RLIMIT_NOFILE where the OS tells it (Linux), else the common default. */
function descriptorLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    if (soft) return Number(soft);
  } catch {
    // not Linux
  }
  return 1024;
}

export interface ConnectionGuard {
  /** The request on this socket carried the token: it may stay open as long as HTTP keeps it. */
  prove(socket: Socket): void;
  close(): void;
}

export function guardConnections(server: Server, limits: GuardLimits = defaultLimits()): ConnectionGuard {
  // Insertion order is age order: the first entry is the oldest unproven connection.
  const unproven = new Map<Socket, NodeJS.Timeout>();
  server.maxConnections = limits.maxConnections;
  // A request's headers must arrive promptly; Node's own defaults allow a minute.
  server.headersTimeout = limits.unprovenMs;
  server.requestTimeout = 2 * limits.unprovenMs;

  const forget = (socket: Socket): void => {
    const timer = unproven.get(socket);
    if (timer) clearTimeout(timer);
    unproven.delete(socket);
  };

  server.on('connection', (socket: Socket) => {
    if (unproven.size >= limits.maxUnproven) {
      const [oldest] = unproven.keys();
      forget(oldest!);
      oldest!.destroy();
    }
    const timer = setTimeout(() => {
      unproven.delete(socket);
      socket.destroy();
    }, limits.unprovenMs);
    timer.unref();
    unproven.set(socket, timer);
    socket.once('close', () => forget(socket));
  });

  return {
    prove: forget,
    close() {
      for (const [socket, timer] of unproven) {
        clearTimeout(timer);
        socket.destroy();
      }
      unproven.clear();
    },
  };
}
