import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { EventName, Events } from '../../src-preload/contract';

/** Past this much unsent data a client is behind: it still gets job changes, not every log line. */
const BEHIND_BYTES = 4 * 1024 * 1024;

/** Events a slow client can miss without its view going wrong (it re-reads the log and job on demand). */
const DROPPABLE: ReadonlySet<EventName> = new Set(['log', 'progress']);

export interface EventSocket {
  /** Takes over an upgrade request the caller already authorised. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  broadcast<E extends EventName>(event: E, payload: Events[E]): void;
  close(): void;
}

/** The WebSocket side of browser mode: one-way, main → page, `{event, payload}` JSON messages. */
export function createEventSocket(): EventSocket {
  // Commands go over HTTP; the page has nothing to say here, so its messages stay tiny.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  wss.on('connection', (ws) => {
    ws.on('message', () => undefined);
    ws.on('error', () => ws.terminate());
  });

  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    broadcast(event, payload) {
      if (wss.clients.size === 0) return;
      const message = JSON.stringify({ event, payload });
      for (const client of wss.clients) {
        if (client.readyState !== WebSocket.OPEN) continue;
        if (DROPPABLE.has(event) && client.bufferedAmount > BEHIND_BYTES) continue;
        client.send(message);
      }
    },
    close() {
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
