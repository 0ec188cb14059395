/**
 * farm: a 12-frame Blender job (3 chunks of 4) through a real single-node Slurm 22.05 (started
 * here from a temporary config, as the tests do).
 *
 * Overhead: Spool's hand-off (an engine already running, as `spool run` or the app; the job queued,
 * or submitted (its scene checked first), → the job's end, frames verified) against the same Blender argv per element submitted by hand as an
 * array job (`sbatch --array`), waited for ideally: its end is the moment the last element's
 * done-marker appears (watched every 20 ms), not `sbatch --wait`'s 2 s+ polling.
 *
 * Status lag: each element's log on the shared folder is watched every 20 ms; the moment a
 * `Saved:` line lands there (Slurm writes the element's stdout straight to it) to the moment the
 * engine announced that frame done.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BLENDER, makeBlenderScene } from '../test/helpers/blender';
import { slurmAvailable, startTestCluster, type TestCluster } from '../test/helpers/slurm-cluster';
import { WORKERS, expectOk, hasCommand, limitRow, log, percentile, ratioRow, removeDir, tempDir, timeChild, type Bench } from './lib';

const FRAMES = 12;
const CHUNK = 4;
const WATCH_MS = 20;
const WARM = 'spool-warm';

export const farm: Bench = async ({ rounds, notes }) => {
  if (!slurmAvailable() || !hasCommand(BLENDER)) {
    notes.push('farm: skipped, needs slurm-wlm + munge and Blender (scripts/setup.sh --test).');
    return [];
  }
  const root = tempDir('farm');
  let cluster: TestCluster | null = null;
  try {
    cluster = await startTestCluster();
    const shared = path.join(root, 'shared');
    const farmView = path.join(root, 'farm view');
    mkdirSync(shared);
    symlinkSync(shared, farmView);
    const scene = await makeBlenderScene(shared, { file: 'shot.blend', start: 1, end: FRAMES, resolution: [32, 18], samples: 1 });
    const profile = { kind: 'slurm', name: 'bench', partition: cluster.partition, pathMap: [{ local: shared, farm: farmView }] };
    const env = { ...process.env, ...cluster.env };

    const runSpool = async (name: string): Promise<{ seconds: number; handoff: number; lags: number[]; commands: string[] }> => {
      const out = path.join(shared, name, 'f_####.png');
      const watcher = watchSaved(path.join(shared, '.spool-farm'));
      try {
        const run = expectOk('farm-engine', await timeChild(process.execPath, [path.join(WORKERS, 'farm-engine.mjs'), path.join(root, `data-${name}`), scene, out, String(FRAMES), String(CHUNK), JSON.stringify(profile)], { env, timeoutMs: 300_000 }));
        const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { status: string; reason: string | null; framesDone: number; wallMs: number; handoffMs: number; doneAt: Record<string, number>; tag: string };
        if (result.status !== 'succeeded' || result.framesDone !== FRAMES) throw new Error(`the farm job ended ${result.status} (${result.reason ?? ''}), ${result.framesDone}/${FRAMES} frames`);
        const saved = watcher.stop();
        const lags = Object.entries(result.doneAt).map(([frame, at]) => {
          const seen = saved.get(Number(frame));
          if (seen === undefined) throw new Error(`frame ${frame} was done in Spool but its Saved: line was never seen on the farm`);
          return at - seen;
        });
        const dir = path.join(shared, '.spool-farm', result.tag);
        return { seconds: result.wallMs / 1000, handoff: result.handoffMs / 1000, lags, commands: [0, 1, 2].map((i) => elementCommand(dir, i)) };
      } finally {
        watcher.stop();
      }
    };

    const runByHand = async (name: string, commands: string[]): Promise<number> => {
      const dir = path.join(shared, name);
      mkdirSync(dir, { recursive: true });
      // What a person would write: one case per element with Spool's exact command for it, the output folder their own.
      const cases = commands.map((command, i) => `  ${i}) ${command.replaceAll(`/${WARM}/`, `/${name}/`)} ;;`).join('\n');
      writeFileSync(path.join(dir, 'array.sh'), `#!/bin/bash\ncase "$SLURM_ARRAY_TASK_ID" in\n${cases}\nesac\nstatus=$?\ntouch "${path.join(farmView, name)}/done-$SLURM_ARRAY_TASK_ID"\nexit $status\n`, { mode: 0o755 });
      const started = performance.now();
      const args = ['--parsable', `--array=0-${commands.length - 1}%${commands.length}`, `--job-name=${name}`, `--output=${path.join(farmView, name)}/element-%a.log`, `--partition=${cluster!.partition}`, '--no-requeue', path.join(farmView, name, 'array.sh')];
      expectOk('sbatch', await timeChild('sbatch', args, { env }));
      const done = (): boolean => commands.every((_, i) => existsSync(path.join(dir, `done-${i}`)));
      const deadline = Date.now() + 300_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error('the by-hand array did not finish in 5 minutes');
        await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
      }
      const seconds = (performance.now() - started) / 1000;
      const frames = readdirSync(path.join(dir)).filter((f) => /^f_\d+\.png$/.test(f) && statSync(path.join(dir, f)).size > 0).length;
      if (frames !== FRAMES) throw new Error(`the by-hand array wrote ${frames} of ${FRAMES} frames`);
      return seconds;
    };

    // Warm-up, not counted: Blender's files in the page cache, and the argv the by-hand array replays.
    const { commands } = await runSpool(WARM);
    const spool: number[] = [];
    const handoff: number[] = [];
    const hand: number[] = [];
    const lags: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const units: (() => Promise<void>)[] = [
        async () => {
          const r = await runSpool(`spool-${round}`);
          spool.push(r.seconds);
          handoff.push(r.handoff);
          lags.push(...r.lags);
        },
        async () => void hand.push(await runByHand(`hand-${round}`, commands)),
      ];
      // Interleaved, and in turn first: a machine getting busier harms neither side alone.
      for (const unit of round % 2 ? units.reverse() : units) await unit();
      log(`  farm round ${round + 1}: Spool ${spool.at(-1)!.toFixed(2)} s (hand-off from queued ${handoff.at(-1)!.toFixed(2)} s), sbatch by hand ${hand.at(-1)!.toFixed(2)} s; lag p95 ${percentile(lags.slice(-FRAMES), 95).toFixed(0)} ms`);
    }
    notes.push(
      `farm: a real single-node Slurm on this machine, ${FRAMES} frames of a 32×18 1-sample Blender scene in ${FRAMES / CHUNK} elements run at once. The lag is measured from the Saved: line landing in the element's log (watched every ${WATCH_MS} ms, so up to ${WATCH_MS} ms early) to the engine's frame-done event; Spool reads the hand-off's folder when it changes (a folder watch) and asks squeue every 500 ms (farmPollMs), every 2 s once the watch has seen the farm write. Spool's time includes checking the job at submit (the round lines show the hand-off alone, from the job queued). A shared 2-core machine: rounds vary by seconds.`,
    );
    return [
      ratioRow({ bench: 'farm', figure: `${FRAMES}-frame job through Slurm, submit → all frames done`, unit: 's', spool, peer: hand, peerName: 'sbatch --array by hand', targetRatio: 1.1 }),
      limitRow({ bench: 'farm', figure: "farm's Saved: → the frame done in Spool, p95", unit: 'ms', values: lags, max: 2000, summary: (v) => percentile(v, 95) }),
    ];
  } finally {
    await cluster?.stop();
    removeDir(root);
  }
};

/** Stamps, every WATCH_MS, the first moment each frame's `Saved:` line is in an element log of a hand-off made from now on. */
function watchSaved(root: string): { stop(): Map<number, number> } {
  const seen = new Map<number, number>();
  const sizes = new Map<string, number>();
  // Hand-offs of earlier runs are not this one's.
  const earlier = new Set(existsSync(root) ? readdirSync(root) : []);
  const scan = (): void => {
    if (!existsSync(root)) return;
    for (const tag of readdirSync(root).filter((t) => !earlier.has(t))) {
      const dir = path.join(root, tag);
      for (const name of readdirSync(dir).filter((f) => /^element-\d+\.log$/.test(f))) {
        const file = path.join(dir, name);
        const size = statSync(file).size;
        if (sizes.get(file) === size) continue;
        sizes.set(file, size);
        const now = Date.now();
        for (const m of readFileSync(file, 'utf8').matchAll(/^Saved: '.*?(\d+)\.png'$/gm)) if (!seen.has(Number(m[1]))) seen.set(Number(m[1]), now);
      }
    }
  };
  const timer = setInterval(scan, WATCH_MS);
  return {
    stop() {
      clearInterval(timer);
      scan();
      return seen;
    },
  };
}

/** One element's command as Spool handed it off, as a shell line: its working folder (cd), environment (env), then the adapter's argv. */
function elementCommand(dir: string, i: number): string {
  const read = (ext: string): string | null => (existsSync(path.join(dir, `chunk-${i}.${ext}`)) ? readFileSync(path.join(dir, `chunk-${i}.${ext}`), 'utf8') : null);
  const words = (text: string): string => text.split('\0').slice(0, -1).map(shellQuote).join(' ');
  const env = read('env');
  const cwd = read('cwd');
  return `${cwd ? `cd ${shellQuote(cwd)} && ` : ''}${env ? `env ${words(env)} ` : ''}${words(read('argv')!)}`;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
