/**
 * Where a page's main thread spends its time while a bench runs: a Chromium trace (devtools
 * timeline) summed by event, and the JavaScript in it by function. Opt-in (SPOOL_BENCH_TRACE=1):
 * tracing costs the page time of its own, so a traced round's figures are not reported as results.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  ts: number;
  tid: number;
  args?: { data?: { functionName?: string; url?: string } };
}

/** Counts the page's API calls and the bytes they answered: an init script, before the app loads. */
export const CALL_COUNTER = `
  window.__calls = {};
  const fetchOf = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const response = await fetchOf(input, init);
    const name = String(input).replace(/^.*\\/api\\//, '').replace(/\\?.*$/, '');
    const size = Number(response.headers.get('content-length') ?? 0);
    const entry = (window.__calls[name] ??= { n: 0, bytes: 0 });
    entry.n++;
    entry.bytes += size;
    return response;
  };
  // Why the log view re-reads: the batcher's skip notices ("to keep up") or the socket's ("fell behind").
  window.__skips = { keepUp: 0, fellBehind: 0 };
  const Socket = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Socket(...args);
    ws.addEventListener('message', (e) => {
      if (typeof e.data !== 'string' || !e.data.includes('lines skipped here')) return;
      if (e.data.includes('to keep up')) window.__skips.keepUp++;
      if (e.data.includes('fell behind')) window.__skips.fellBehind++;
    });
    return ws;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
`;

export function traceWanted(): boolean {
  return process.env.SPOOL_BENCH_TRACE === '1';
}

export async function startTrace(cdp: CDPSession): Promise<() => Promise<string>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => {
    for (const e of data.value) events.push(e as unknown as TraceEvent);
  });
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute', transferMode: 'ReportEvents' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await complete;
    return summarize(events) + selfTimes(profile);
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** JavaScript by function, self time (sampled), and by the component functions that called it. */
function selfTimes(profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] }): string {
  const total = profile.samples?.length ?? 0;
  const ms = (hits: number): number => (total ? (hits / total) * ((profile.endTime - profile.startTime) / 1000) : 0);
  const self = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const name = label(node);
    self.set(name, (self.get(name) ?? 0) + hits);
    // Each function on the stack once, however deep it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
      const key = label(byId.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
    }
  }
  const table = (m: Map<string, number>): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([name, hits]) => `  ${ms(hits).toFixed(0).padStart(7)} ms ${name}`)
      .join('\n');
  return `JavaScript, self time:\n${table(self)}\nJavaScript, with what it calls:\n${table(inclusive)}\n`;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${path.basename(url)}:${lineNumber + 1}`;
}

/** Self time would need nesting; top-level totals per event name are enough to rank the costs. */
function summarize(events: TraceEvent[]): string {
  const main = mainThread(events);
  const byName = new Map<string, { ms: number; n: number }>();
  const byFunction = new Map<string, { ms: number; n: number }>();
  for (const e of events) {
    if (e.tid !== main || e.ph !== 'X' || e.dur === undefined) continue;
    add(byName, e.name, e.dur / 1000);
    if (e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'TimerFire' || e.name === 'FireAnimationFrame') {
      const where = e.args?.data?.functionName || path.basename(e.args?.data?.url ?? '') || e.name;
      add(byFunction, `${e.name} ${where}`, e.dur / 1000);
    }
  }
  const table = (m: Map<string, { ms: number; n: number }>, top: number): string =>
    [...m]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, top)
      .map(([name, { ms, n }]) => `  ${ms.toFixed(0).padStart(7)} ms ${String(n).padStart(6)}× ${name}`)
      .join('\n');
  return `main thread, by event (nested events count in their parents too):\n${table(byName, 25)}\nby callback:\n${table(byFunction, 25)}\n${longTasks(events, main)}`;
}

/** The tasks that cost a display frame, and what ran directly inside them. */
function longTasks(events: TraceEvent[], main: number): string {
  const own = events.filter((e) => e.tid === main && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const inside = new Map<string, { ms: number; n: number }>();
  let count = 0;
  let total = 0;
  for (let i = 0; i < own.length; i++) {
    const task = own[i]!;
    if (task.name !== 'RunTask' || task.dur! < 16_000) continue;
    count++;
    total += task.dur! / 1000;
    // Direct children: the events that start inside the task and are not inside an earlier child.
    let childEnd = task.ts;
    for (let j = i + 1; j < own.length && own[j]!.ts < task.ts + task.dur!; j++) {
      const child = own[j]!;
      if (child.ts < childEnd) continue;
      childEnd = child.ts + child.dur!;
      const where = child.args?.data?.functionName || path.basename(child.args?.data?.url ?? '');
      add(inside, where ? `${child.name} ${where}` : child.name, child.dur! / 1000);
    }
  }
  const rows = [...inside]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 20)
    .map(([name, { ms, n }]) => `  ${ms.toFixed(0).padStart(7)} ms ${String(n).padStart(6)}× ${name}`)
    .join('\n');
  return `tasks over 16 ms: ${count}, ${total.toFixed(0)} ms in all; what ran directly in them:\n${rows}\n`;
}

function add(m: Map<string, { ms: number; n: number }>, key: string, ms: number): void {
  const entry = m.get(key) ?? { ms: 0, n: 0 };
  entry.ms += ms;
  entry.n++;
  m.set(key, entry);
}

/** The renderer's main thread: the one with the most layout work. */
function mainThread(events: TraceEvent[]): number {
  const counts = new Map<number, number>();
  for (const e of events) if (e.name === 'Layout' || e.name === 'UpdateLayoutTree') counts.set(e.tid, (counts.get(e.tid) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
}

export function writeTrace(dir: string, name: string, summary: string): string {
  const file = path.join(dir, `${name}.trace.txt`);
  writeFileSync(file, summary);
  return file;
}
