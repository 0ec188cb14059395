/**
 * `npm run bench [-- NAME...] [--rounds N]`: runs the benchmarks one after another (never at
 * once: they would measure each other), prints one table and writes it as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispatch } from './dispatch';
import { elastic } from './elastic';
import { farm } from './farm';
import { idle } from './idle';
import { RESULTS, log, renderTable, type Bench, type Row } from './lib';
import { latency } from './latency';
import { logs } from './logs';
import { longjob } from './longjob';
import { realistic } from './realistic';
import { probe } from './probe';
import { preview } from './preview';
import { render } from './render';
import { startup } from './startup';
import { store } from './store';
import { ui } from './ui';

const BENCHES: Record<string, Bench> = { dispatch, render, realistic, elastic, latency, longjob, logs, store, ui, startup, idle, probe, preview, farm };

async function main(argv: string[]): Promise<number> {
  let rounds = 3;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--rounds') rounds = Number(argv[++i]);
    else if (arg.startsWith('--rounds=')) rounds = Number(arg.slice('--rounds='.length));
    else names.push(arg);
  }
  // Fewer than three rounds gives a median that is just one unlucky run.
  if (!Number.isInteger(rounds) || rounds < 3) {
    log('bench: --rounds must be a whole number of at least 3');
    return 2;
  }
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    log(`bench: unknown benchmark ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHES);

  const rows: Row[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  for (const name of selected) {
    log(`bench ${name}: ${rounds} rounds…`);
    const started = performance.now();
    try {
      rows.push(...(await BENCHES[name]!({ rounds, notes })));
    } catch (error) {
      // One broken benchmark must not hide the others' results.
      failures.push(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      notes.push(`${name}: FAILED, see the error above the table.`);
    }
    log(`bench ${name}: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }

  for (const failure of failures) log(`\nbench ${failure}`);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${os.platform()} ${os.release()}`;
  process.stdout.write(`\nSpool benchmarks (median of ${rounds} interleaved rounds) on ${machine}\n\n`);
  process.stdout.write(`${renderTable(rows)}\n`);
  if (notes.length > 0) process.stdout.write(`\n${notes.map((n) => `· ${n}`).join('\n')}\n`);

  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const payload = { date: new Date().toISOString(), machine, rounds, benches: selected, rows, notes, failures };
  writeFileSync(RESULTS, `${JSON.stringify(payload, null, 2)}\n`);
  process.stdout.write(`\nResults written to ${path.relative(process.cwd(), RESULTS) || RESULTS}\n`);
  return failures.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
