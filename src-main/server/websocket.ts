import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { EventName, Events } from '../../src-preload/contract';

/** Past this much unsent data a client is behind: it still gets job changes, not every log line. */
const BEHIND_BYTES = 4 * 1024 * 1024;
/** Below this it has caught up, and is told what it missed. */
const CAUGHT_UP_BYTES = 512 * 1024;
/** How often a client that fell behind is checked for having caught up. */
const CATCH_UP_MS = 100;

/** Events a slow client can miss without its view going wrong (it re-reads the log and job on demand). */
const DROPPABLE: ReadonlySet<EventName> = new Set(['log', 'progress']);

export interface EventSocket {
  /** Takes over an upgrade request the caller already authorised. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  broadcast<E extends EventName>(event: E, payload: Events[E]): void;
  close(): void;
}

/** What a client that fell behind did not get: log lines per job, and the attempt they were last from. */
type Missed = Map<number, { attemptId: number; lines: number }>;

/**
 * The WebSocket side of browser mode: one-way, main → page, `{event, payload}` JSON messages.
 * A client that falls behind (a slow tab, a flood of long lines) is not sent log lines until it
 * catches up; then it gets one `log` group per job saying how many lines it missed (`skipped`),
 * so it re-reads the log's tail from the file. Nothing is dropped silently, and the last lines
 * of a render are never lost because no later line came to carry the notice.
 */
export function createEventSocket(): EventSocket {
  // Commands go over HTTP; the page has nothing to say here, so its messages stay tiny.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const missed = new Map<WebSocket, Missed>();
  let timer: NodeJS.Timeout | null = null;

  wss.on('connection', (ws) => {
    ws.on('message', () => undefined);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => missed.delete(ws));
  });

  const noteMissed = (client: WebSocket, payload: Events['log']): void => {
    let byJob = missed.get(client);
    if (!byJob) missed.set(client, (byJob = new Map()));
    for (const group of payload) {
      const entry = byJob.get(group.jobId) ?? { attemptId: group.attemptId, lines: 0 };
      entry.attemptId = group.attemptId;
      entry.lines += group.lines.length - (group.skipped ? 1 : 0) + (group.skipped ?? 0);
      byJob.set(group.jobId, entry);
    }
    timer ??= setInterval(tellCaughtUp, CATCH_UP_MS);
  };

  function tellCaughtUp(): void {
    for (const [client, byJob] of missed) {
      if (client.readyState !== WebSocket.OPEN) {
        missed.delete(client);
        continue;
      }
      if (client.bufferedAmount > CAUGHT_UP_BYTES) continue;
      missed.delete(client);
      const notice: Events['log'] = [...byJob].map(([jobId, m]) => ({
        jobId,
        attemptId: m.attemptId,
        skipped: m.lines,
        lines: [{ stream: 'stderr', text: `[spool] ${m.lines} lines skipped here: this view fell behind; the full log is on disk` }],
      }));
      client.send(JSON.stringify({ event: 'log', payload: notice }));
    }
    if (missed.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    broadcast(event, payload) {
      if (wss.clients.size === 0) return;
      let message: string | null = null;
      for (const client of wss.clients) {
        if (client.readyState !== WebSocket.OPEN) continue;
        if (DROPPABLE.has(event)) {
          // Once behind, a client gets no log lines until told what it missed: order stays true.
          const behind = missed.has(client) || client.bufferedAmount > BEHIND_BYTES;
          if (behind) {
            if (event === 'log') noteMissed(client, payload as Events['log']);
            continue;
          }
        }
        message ??= JSON.stringify({ event, payload });
        client.send(message);
      }
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      missed.clear();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

/** Refuses an upgrade before any WebSocket exists: a bare HTTP status, then the socket is gone. */
export function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404): void {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
