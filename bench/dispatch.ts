/**
 * dispatch: what Spool itself costs per task. 1,000 tasks of a no-op command, two at a time,
 * through the real CLI (start-up included) with store, logs and state changes all on — against
 * GNU parallel and xargs -P2 running the same 1,000 commands, and against a bare Node spawn loop
 * (the floor for anything built on Node's child_process, Spool included).
 */
import path from 'node:path';
import { CLI, WORKERS, expectOk, hasCommand, log, ratioRow, removeDir, spoolArgs, tempDir, timeChild, type Bench } from './lib';

const TASKS = 1000;

export const dispatch: Bench = async ({ rounds, notes }) => {
  const withParallel = hasCommand('parallel');
  if (!withParallel) notes.push('dispatch: GNU parallel is not installed (apt-get install parallel): its peer was skipped.');
  const spool: number[] = [];
  const parallel: number[] = [];
  const xargs: number[] = [];
  const node: number[] = [];

  const contestants: [string, () => Promise<number>][] = [
    [
      'spool',
      async () => {
        const dataDir = tempDir('dispatch');
        try {
          const args = spoolArgs(dataDir, 'submit', '--dcc', 'command', '--template', 'true', '--frames', `1-${TASKS}`, '--chunk', '1', '--slots', '2', '--wait');
          const run = expectOk('spool submit --wait', await timeChild(process.execPath, args));
          if (!run.stdout.includes(`succeeded: ${TASKS}/${TASKS} frames`)) throw new Error(`spool did not render all ${TASKS} tasks:\n${run.stdout}`);
          return run.wallMs;
        } finally {
          removeDir(dataDir);
        }
      },
    ],
    ...(withParallel
      ? ([['parallel', async () => expectOk('parallel', await timeChild('sh', ['-c', `seq ${TASKS} | parallel -j2 true`])).wallMs]] as [string, () => Promise<number>][])
      : []),
    // -n1: one command per input line, as Spool and parallel run them.
    ['xargs', async () => expectOk('xargs', await timeChild('sh', ['-c', `seq ${TASKS} | xargs -P2 -n1 true`])).wallMs],
    ['node', async () => expectOk('spawn loop', await timeChild(process.execPath, [path.join(WORKERS, 'spawn-loop.mjs'), String(TASKS), '2', 'true'])).wallMs],
  ];

  for (let round = 0; round < rounds; round++) {
    // Rotating the order spreads whatever else the machine does over all contestants alike.
    for (let i = 0; i < contestants.length; i++) {
      const [name, measure] = contestants[(i + round) % contestants.length]!;
      const ms = await measure();
      ({ spool, parallel, xargs, node })[name]!.push(ms / 1000);
      log(`  dispatch round ${round + 1}: ${name} ${(ms / 1000).toFixed(2)} s`);
    }
  }

  const figure = `${TASKS.toLocaleString('en-US')} no-op tasks, 2 at a time: wall`;
  const note = `via ${CLI.replace(/.*\/out\//, 'out/')} submit --wait, CLI start-up included`;
  return [
    ...(withParallel ? [ratioRow({ bench: 'dispatch', figure, unit: 's', spool, peer: parallel, peerName: 'GNU parallel -j2', targetRatio: 1.0, note })] : []),
    ratioRow({ bench: 'dispatch', figure, unit: 's', spool, peer: xargs, peerName: 'xargs -P2' }),
    ratioRow({ bench: 'dispatch', figure, unit: 's', spool, peer: node, peerName: 'bare Node spawn loop', note: 'the floor under any Node dispatcher: spawn only, nothing recorded' }),
  ];
};
