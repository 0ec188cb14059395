/**
 * Shared by every benchmark: where things are, timing a child process, medians, the result row
 * and the one table `npm run bench` prints. Benchmarks assert nothing; they measure and report.
 */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** scripts/bench.mjs bundles into out/bench/, two levels below the repo. */
export const REPO = process.env.SPOOL_BENCH_REPO ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO, 'out', 'node', 'spool.mjs');
export const FAKE_DCC = path.join(REPO, 'test', 'fixtures', 'fake-dcc.mjs');
export const WORKERS = path.join(REPO, 'out', 'bench', 'workers');
export const RESULTS = path.join(REPO, 'bench', 'results', 'latest.json');

export interface Row {
  bench: string;
  figure: string;
  unit: string;
  spool: number | null;
  peerName: string | null;
  peer: number | null;
  /** spool / peer, or null when there is no peer. */
  ratio: number | null;
  /** Human form of the target, e.g. "≤ 0.8× parallel" or "≤ 50 ms". */
  target: string | null;
  met: boolean | null;
  /** Every round's value, so a reader can see the spread behind the median. */
  rounds?: { spool?: number[]; peer?: number[] };
  note?: string;
}

export interface BenchOptions {
  rounds: number;
  /** Lines for the reader: skipped peers, remembered vs first-run, anything unusual. */
  notes: string[];
}

export type Bench = (opts: BenchOptions) => Promise<Row[]>;

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function tempDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `spool-bench-${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export interface Timed {
  wallMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Wall time from spawn to exit, as a user at a terminal sees it. Output is collected (and so
 * drained at once) rather than inherited, so a slow terminal never slows the thing measured.
 */
export function timeChild(file: string, args: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout = keepTail(stdout + c)));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr = keepTail(stderr + c)));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ wallMs: performance.now() - started, code, signal, stdout, stderr });
    });
  });
}

/** Benchmarks print a lot (1,000 frame lines); only the end is ever worth showing. */
function keepTail(text: string): string {
  return text.length > 64_000 ? text.slice(-32_000) : text;
}

/** Throws with the child's own words when a measured run did not do its job: a fast failure is no result. */
export function expectOk(what: string, run: Timed): Timed {
  if (run.code !== 0) {
    throw new Error(`${what} exited with ${run.code ?? run.signal}\n--- stderr (tail)\n${run.stderr.slice(-2000)}\n--- stdout (tail)\n${run.stdout.slice(-2000)}`);
  }
  return run;
}

/** The `spool` CLI bundle, with a data dir of its own. */
export function spoolArgs(dataDir: string, ...args: string[]): string[] {
  return [CLI, '--data-dir', dataDir, ...args];
}

/**
 * A comparison row from per-round values; `targetRatio` is the most Spool may take relative to
 * the peer (lower is better for every figure here).
 */
export function ratioRow(
  fields: Pick<Row, 'bench' | 'figure' | 'unit' | 'peerName' | 'note'> & {
    spool: number[];
    peer: number[];
    targetRatio?: number;
  },
): Row {
  const spool = median(fields.spool);
  const peer = fields.peer.length > 0 ? median(fields.peer) : null;
  const ratio = peer !== null && peer > 0 ? spool / peer : null;
  const target = fields.targetRatio !== undefined ? `≤ ${fields.targetRatio}× ${fields.peerName ?? 'peer'}` : null;
  const met = fields.targetRatio !== undefined && ratio !== null ? ratio <= fields.targetRatio : null;
  return {
    bench: fields.bench,
    figure: fields.figure,
    unit: fields.unit,
    spool,
    peerName: fields.peerName,
    peer,
    ratio,
    target,
    met,
    rounds: { spool: fields.spool, ...(fields.peer.length > 0 ? { peer: fields.peer } : {}) },
    ...(fields.note ? { note: fields.note } : {}),
  };
}

/** A figure with an absolute limit and no peer (event-loop delay, heap, frame time). */
export function limitRow(
  fields: Pick<Row, 'bench' | 'figure' | 'unit' | 'note'> & { values: number[]; max?: number; summary?: (values: number[]) => number },
): Row {
  const spool = (fields.summary ?? median)(fields.values);
  return {
    bench: fields.bench,
    figure: fields.figure,
    unit: fields.unit,
    spool,
    peerName: null,
    peer: null,
    ratio: null,
    target: fields.max !== undefined ? `≤ ${fields.max} ${fields.unit}` : null,
    met: fields.max !== undefined ? spool <= fields.max : null,
    rounds: { spool: fields.values },
    ...(fields.note ? { note: fields.note } : {}),
  };
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (unit === 's') return `${value.toFixed(2)} s`;
  if (unit === 'ms') return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  if (unit === '/s') return `${Math.round(value).toLocaleString('en-US')}/s`;
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`.trim();
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['bench', 'figure', 'Spool', 'peer', 'ratio', 'target', 'met?'];
  const body = rows.map((r) => [
    r.bench,
    r.figure,
    formatValue(r.spool, r.unit),
    r.peerName ? `${formatValue(r.peer, r.unit)} (${r.peerName})` : '—',
    r.ratio !== null ? `${r.ratio.toFixed(2)}×` : '—',
    r.target ?? '—',
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join(' │ ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...body.map(line)].join('\n');
}

export function log(text: string): void {
  process.stderr.write(`${text}\n`);
}
