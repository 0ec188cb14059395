import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionInfo } from './types';
import { createWsBridge } from './ws-bridge';

/** Just enough of a browser WebSocket to drive the client from a test. */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open(): void {
    this.onopen?.();
  }
  send(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006): void {
    this.onclose?.({ code });
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('createWsBridge', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  const make = (fetch: typeof globalThis.fetch) =>
    createWsBridge({ origin: 'http://127.0.0.1:4000', token: 'tok', fetch, WebSocket: FakeSocket as unknown as typeof WebSocket });

  it('posts commands as JSON with the bearer token and the cookie, and returns the result', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true, value: [{ id: 1 }] }));
    const bridge = make(fetch as unknown as typeof globalThis.fetch);
    const result = await bridge.invoke('jobs.pause', { ids: [1] });
    expect(result).toEqual({ ok: true, value: [{ id: 1 }] });
    const [url, init] = fetch.mock.calls[0] as unknown as [URL, RequestInit];
    expect(String(url)).toBe('http://127.0.0.1:4000/api/jobs.pause');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"ids":[1]}' });
    expect(init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
    expect(FakeSocket.all[0]!.url).toBe('ws://127.0.0.1:4000/ws?token=tok');
  });

  it('passes refusals through and explains a 401 or a dead server', async () => {
    const refusal = { ok: false, error: { code: 'invalid', message: 'frames: bad', field: 'frames' } };
    let next: () => Promise<Response> = async () => json(400, refusal);
    const bridge = make((() => next()) as unknown as typeof globalThis.fetch);
    expect(await bridge.invoke('jobs.submit', {})).toEqual(refusal);
    next = async () => new Response('unauthorized', { status: 401 });
    const denied = await bridge.invoke('jobs.list', {});
    expect(denied.ok === false && denied.error.message).toContain('not authorized');
    next = async () => {
      throw new TypeError('Failed to fetch');
    };
    const down = await bridge.invoke('jobs.list', {});
    expect(down.ok === false && down.error).toMatchObject({ code: 'unavailable', message: 'cannot reach Spool (Failed to fetch)' });
  });

  it('delivers events, single or batched, to their listeners', () => {
    const bridge = make(vi.fn() as unknown as typeof globalThis.fetch);
    const jobs: unknown[] = [];
    const off = bridge.on('jobRemoved', (p) => jobs.push(p.id));
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.send({ event: 'jobRemoved', payload: { id: 4 } });
    FakeSocket.all[0]!.send([
      { event: 'jobRemoved', payload: { id: 5 } },
      { event: 'changed', payload: {} },
    ]);
    off();
    FakeSocket.all[0]!.send({ event: 'jobRemoved', payload: { id: 6 } });
    expect(jobs).toEqual([4, 5]);
  });

  it('reconnects with backoff, reporting the state, and counts generations', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true, value: {} }));
    const bridge = make(fetch as unknown as typeof globalThis.fetch);
    const seen: ConnectionInfo['state'][] = [];
    bridge.onConnection((info) => seen.push(info.state));
    FakeSocket.all[0]!.open();
    expect(bridge.connection()).toMatchObject({ state: 'open', generation: 1 });
    FakeSocket.all[0]!.drop();
    expect(bridge.connection().state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(700);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.drop();
    await vi.advanceTimersByTimeAsync(1300);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.all[2]!.open();
    expect(bridge.connection()).toMatchObject({ state: 'open', generation: 2 });
    expect(seen).toEqual(['open', 'reconnecting', 'reconnecting', 'open']);
  });

  it('stops retrying when the server refuses the token', async () => {
    const fetch = vi.fn(async () => new Response('unauthorized', { status: 401 }));
    const bridge = make(fetch as unknown as typeof globalThis.fetch);
    FakeSocket.all[0]!.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(bridge.connection().state).toBe('unauthorized');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
