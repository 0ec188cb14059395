/**
 * probe: the new-job form's "Probe scene" on a small 24-frame .blend. Peer: the cold probe Spool
 * used before (one `blender -b` per scene). Spool: the engine's SceneProber — a warm Blender that
 * loads each scene on request — on a scene it has not seen (a fresh copy each time, so the cache
 * cannot answer), and again on an unchanged scene (the cache). The warm Blender's own start is
 * shown apart: it is paid once, by the first probe after the engine was idle.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { BLENDER, makeBlenderScene } from '../test/helpers/blender';
import { blenderAdapter } from '../src-main/engine/adapters/blender';
import { SceneProber } from '../src-main/engine/probe/scene-prober';
import { hasCommand, limitRow, log, ratioRow, removeDir, tempDir, type Bench } from './lib';

const PER_ROUND = 3;

export const probe: Bench = async ({ rounds, notes }) => {
  if (!hasCommand(BLENDER) && !hasCommand('blender')) {
    notes.push('probe: skipped, Blender is not installed.');
    return [];
  }
  const dir = tempDir('probe');
  const prober = new SceneProber();
  try {
    const scene = await makeBlenderScene(dir, { file: 'shot.blend', start: 1, end: 24 });
    let copies = 0;
    const fresh = (): string => {
      const copy = path.join(dir, `copy-${++copies}.blend`);
      copyFileSync(scene, copy);
      return copy;
    };
    const time = async (run: () => Promise<unknown>): Promise<number> => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };

    const firstWarm = await time(() => prober.probe(blenderAdapter, fresh(), BLENDER));
    const cold: number[] = [];
    const warm: number[] = [];
    const cached: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < PER_ROUND; i++) {
        const cases: [number[], () => Promise<unknown>][] = [
          [cold, () => blenderAdapter.probeScene!(fresh(), BLENDER)],
          [warm, () => prober.probe(blenderAdapter, fresh(), BLENDER)],
          [cached, () => prober.probe(blenderAdapter, scene, BLENDER)],
        ];
        for (let c = 0; c < cases.length; c++) {
          const [into, run] = cases[(c + round + i) % cases.length]!;
          into.push(await time(run));
        }
      }
      log(`  probe round ${round + 1}: cold ${cold.slice(-PER_ROUND).map((ms) => ms.toFixed(0)).join('/')} ms, warm ${warm.slice(-PER_ROUND).map((ms) => ms.toFixed(0)).join('/')} ms`);
    }
    notes.push(`probe: the warm Blender's own start (first probe after the engine was idle) took ${(firstWarm / 1000).toFixed(2)} s; later probes of new scenes reuse it.`);
    const peerName = 'cold `blender -b` probe';
    return [
      ratioRow({ bench: 'probe', figure: 'probe p50, a 24-frame .blend not seen before (warm Blender)', unit: 's', spool: warm.map((ms) => ms / 1000), peer: cold.map((ms) => ms / 1000), peerName }),
      limitRow({ bench: 'probe', figure: 'probe p50, new scene: target', unit: 's', values: warm.map((ms) => ms / 1000), max: 1.0 }),
      ratioRow({ bench: 'probe', figure: 'probe p50, the same unchanged .blend (cache)', unit: 'ms', spool: cached, peer: cold, peerName }),
    ];
  } finally {
    prober.stop();
    removeDir(dir);
  }
};
