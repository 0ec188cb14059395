import type { CommandResult, EventName, Events } from '../../../src-preload/contract';
import { backoffDelay } from './backoff';
import type { CommandInput, CommandName, CommandOutput, ConnectionInfo, UiBridge } from './types';

type Listener = (payload: never) => void;

export interface WsBridgeOptions {
  /** Where the page came from; API and socket URLs are built from it. */
  origin: string;
  token: string | null;
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
}

/** A server's answer is a CommandResult; anything else (a proxy page, a crash) becomes an error. */
async function readResult<T>(response: Response): Promise<CommandResult<T>> {
  let body: unknown = null;
  const text = await response.text();
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (body && typeof body === 'object' && 'ok' in body && typeof (body as { ok: unknown }).ok === 'boolean') {
    return body as CommandResult<T>;
  }
  if (response.status === 401 || response.status === 403) {
    return {
      ok: false,
      error: { code: 'unavailable', message: 'not authorized: open Spool with the address (and token) that `spool serve` printed' },
    };
  }
  if (response.ok) return { ok: true, value: body as T };
  const snippet = text.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return { ok: false, error: { code: 'internal', message: `server answered ${response.status}${snippet ? `: ${snippet}` : ''}` } };
}

/**
 * Browser mode: commands are `POST /api/<command>`, events come over one WebSocket at `/ws` as
 * `{event, payload}` messages (or arrays of them). The socket reconnects with backoff forever;
 * listeners survive reconnects.
 */
export function createWsBridge(options: WsBridgeOptions): UiBridge {
  const doFetch = options.fetch ?? window.fetch.bind(window);
  const Socket = options.WebSocket ?? window.WebSocket;
  const listeners = new Map<EventName, Set<Listener>>();
  const connectionListeners = new Set<(info: ConnectionInfo) => void>();
  let info: ConnectionInfo = { state: 'connecting', retryAt: null, generation: 0 };
  let socket: WebSocket | null = null;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;

  function setInfo(next: ConnectionInfo): void {
    info = next;
    for (const listener of connectionListeners) listener(info);
  }

  function dispatch(message: unknown): void {
    if (Array.isArray(message)) {
      for (const m of message) dispatch(m);
      return;
    }
    if (!message || typeof message !== 'object') return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string') return;
    const set = listeners.get(event as EventName);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(payload as never);
      } catch (error) {
        console.error(`spool: ${event} listener failed`, error);
      }
    }
  }

  function socketUrl(): string {
    const url = new URL('/ws', options.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    // Browsers cannot put headers on a WebSocket handshake; the cookie usually suffices, the query
    // covers a browser that refused the cookie.
    if (options.token) url.searchParams.set('token', options.token);
    return url.toString();
  }

  function connect(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    let opened = false;
    let ws: WebSocket;
    try {
      ws = new Socket(socketUrl());
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      opened = true;
      failures = 0;
      setInfo({ state: 'open', retryAt: null, generation: info.generation + 1 });
    };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      let message: unknown;
      try {
        message = JSON.parse(e.data);
      } catch {
        return;
      }
      dispatch(message);
    };
    ws.onclose = (e: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      // 4401/1008 is how a server says "bad token" over a socket; retrying cannot fix that, but a
      // plain HTTP probe tells a refused token apart from a server that is simply gone.
      if (e.code === 4401 || e.code === 4403 || (!opened && e.code === 1008)) {
        setInfo({ state: 'unauthorized', retryAt: null, generation: info.generation });
        return;
      }
      if (!opened) void probeAuth();
      scheduleReconnect();
    };
    ws.onerror = () => {
      /* onclose follows and handles it */
    };
  }

  async function probeAuth(): Promise<void> {
    try {
      const response = await doFetch(new URL('/api/app.info', options.origin), {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        body: '{}',
      });
      if (response.status === 401 || response.status === 403) {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        setInfo({ state: 'unauthorized', retryAt: null, generation: info.generation });
      }
    } catch {
      /* the server is down: keep retrying */
    }
  }

  function scheduleReconnect(): void {
    const delay = backoffDelay(failures++);
    setInfo({ state: info.generation === 0 && failures < 2 ? 'connecting' : 'reconnecting', retryAt: Date.now() + delay, generation: info.generation });
    timer = setTimeout(connect, delay);
  }

  connect();

  return {
    kind: 'browser',
    async invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandResult<CommandOutput<C>>> {
      let response: Response;
      try {
        response = await doFetch(new URL(`/api/${command}`, options.origin), {
          method: 'POST',
          headers,
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
      } catch (error) {
        return {
          ok: false,
          error: { code: 'unavailable', message: `cannot reach Spool (${error instanceof Error ? error.message : String(error)})` },
        };
      }
      return readResult<CommandOutput<C>>(response);
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    connection: () => info,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    reconnectNow() {
      if (socket === null && info.state !== 'unauthorized') {
        failures = 0;
        connect();
      }
    },
  };
}
