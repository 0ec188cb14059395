/**
 * logs: a child that prints 500,000 lines (~60 MB) as fast as it can, read by Spool's supervisor
 * (line splitting, adapter parsing, the per-attempt log file on disk, back-pressure) inside a
 * running engine — against the same child with its stdout redirected to a file by the shell.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { FAKE_DCC, WORKERS, expectOk, limitRow, log, ratioRow, removeDir, tempDir, timeChild, type Bench } from './lib';

const LINES = 500_000;

export const logs: Bench = async ({ rounds }) => {
  const spool: number[] = [];
  const shell: number[] = [];
  const relay: number[] = [];
  const delayP99: number[] = [];
  const rssGrowth: number[] = [];
  let bytes = 0;

  for (let round = 0; round < rounds; round++) {
    const order = ['spool', 'shell', 'relay'].map((_, i, all) => all[(i + round) % all.length]!);
    for (const who of order) {
      const dir = tempDir('logs');
      try {
        if (who === 'spool') {
          const run = expectOk('logs engine', await timeChild(process.execPath, [path.join(WORKERS, 'logs-engine.mjs'), path.join(dir, 'data'), path.join(dir, 'out'), String(LINES), FAKE_DCC]));
          const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
            status: string;
            reason: string | null;
            wallMs: number;
            logBytes: number;
            delayP99Ms: number;
            rssGrowthMB: number;
          };
          if (result.status !== 'succeeded') throw new Error(`the flooding job ${result.status}: ${result.reason ?? ''}`);
          spool.push(result.wallMs / 1000);
          delayP99.push(result.delayP99Ms);
          rssGrowth.push(result.rssGrowthMB);
          bytes = result.logBytes;
          log(`  logs round ${round + 1}: spool ${(result.wallMs / 1000).toFixed(2)} s, loop p99 ${result.delayP99Ms.toFixed(1)} ms, RSS +${result.rssGrowthMB.toFixed(1)} MB, log ${(result.logBytes / 1e6).toFixed(1)} MB`);
        } else if (who === 'relay') {
          const file = path.join(dir, 'flood.log');
          const child = [process.execPath, FAKE_DCC, '--frame', '1', '--out', path.join(dir, 'out', 'f_####.png'), '--mode', 'flood', '--lines', String(LINES)];
          const run = expectOk('pipe relay', await timeChild(process.execPath, [path.join(WORKERS, 'pipe-relay.mjs'), file, ...child]));
          relay.push(run.wallMs / 1000);
          log(`  logs round ${round + 1}: bare Node relay ${(run.wallMs / 1000).toFixed(2)} s, file ${(statSync(file).size / 1e6).toFixed(1)} MB`);
        } else {
          const file = path.join(dir, 'flood.log');
          const command = `exec ${quote(process.execPath)} ${quote(FAKE_DCC)} --frame 1 --out ${quote(path.join(dir, 'out', 'f_####.png'))} --mode flood --lines ${LINES} > ${quote(file)}`;
          const run = expectOk('shell redirect', await timeChild('sh', ['-c', command]));
          shell.push(run.wallMs / 1000);
          log(`  logs round ${round + 1}: shell ${(run.wallMs / 1000).toFixed(2)} s, file ${(statSync(file).size / 1e6).toFixed(1)} MB`);
        }
      } finally {
        removeDir(dir);
      }
    }
  }

  const what = `${LINES.toLocaleString('en-US')} lines (${(bytes / 1e6).toFixed(0)} MB) to a log`;
  return [
    ratioRow({ bench: 'logs', figure: `${what}: wall`, unit: 's', spool, peer: shell, peerName: 'sh > file', targetRatio: 1.5, note: 'Spool: submit to idle in a running engine' }),
    ratioRow({ bench: 'logs', figure: `${what}: wall`, unit: 's', spool, peer: relay, peerName: 'bare Node pipe→file relay', note: 'the floor for a Node reader: bytes copied, no lines, no parsing' }),
    limitRow({ bench: 'logs', figure: 'engine event-loop delay p99 during the flood', unit: 'ms', values: delayP99, max: 50 }),
    limitRow({ bench: 'logs', figure: 'engine peak RSS growth during the flood', unit: 'MB', values: rssGrowth, max: 100 }),
  ];
};

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
