/**
 * realistic: issue 16's finding. A scene that renders at about half a second a frame (the factory
 * cube at 320×180, Cycles at 256 samples, frames 1-40 in the file) where start-up no longer
 * dominates: 24 frames through `spool submit --wait` with automatic chunking, first run and with
 * the scene's timing remembered, against one `blender -b SCENE -s 1 -e 24 -a`. Auto chunking that
 * splits a one-slot job spends a Blender start per extra chunk, which this row shows.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { BLENDER, makeSlowScene } from '../test/helpers/blender';
import { expectOk, hasCommand, log, ratioRow, removeDir, spoolArgs, tempDir, timeChild, type Bench } from './lib';

const FRAMES = 24;

export const realistic: Bench = async ({ rounds, notes }) => {
  if (!hasCommand(BLENDER)) {
    notes.push(`realistic: skipped, no Blender at ${BLENDER} (set SPOOL_TEST_BLENDER).`);
    return [];
  }
  const root = tempDir('realistic');
  try {
    const scene = await makeSlowScene(path.join(root, 'scene'));
    const blender: number[] = [];
    const first: number[] = [];
    const remembered: number[] = [];
    const tasks: number[] = [];
    const out = (name: string): string => path.join(root, 'out', name);
    const check = (dir: string, who: string): void => {
      const count = readdirSync(dir).filter((f) => f.endsWith('.png')).length;
      if (count !== FRAMES) throw new Error(`${who} wrote ${count} of ${FRAMES} frames`);
    };
    const spool = async (dataDir: string, dir: string): Promise<number> => {
      const args = spoolArgs(dataDir, 'submit', scene, '--frames', `1-${FRAMES}`, '--output', path.join(dir, 'f_####'), '--wait');
      const run = expectOk('spool submit', await timeChild(process.execPath, args));
      check(dir, 'spool');
      return run.wallMs / 1000;
    };
    for (let round = 0; round < rounds; round++) {
      const tag = `r${round}`;
      const units: (() => Promise<void>)[] = [
        async () => {
          const dir = out(`${tag}-blender`);
          const run = expectOk('blender -a', await timeChild(BLENDER, ['-b', scene, '-o', path.join(dir, 'f_####'), '-s', '1', '-e', String(FRAMES), '-a']));
          check(dir, 'blender');
          blender.push(run.wallMs / 1000);
          log(`  realistic round ${round + 1}: blender -a ${(run.wallMs / 1000).toFixed(2)} s`);
        },
        async () => {
          const dataDir = path.join(root, `${tag}-data`);
          first.push(await spool(dataDir, out(`${tag}-first`)));
          remembered.push(await spool(dataDir, out(`${tag}-again`)));
          const shown = expectOk('spool show', await timeChild(process.execPath, spoolArgs(dataDir, 'show', '2', '--json')));
          tasks.push((JSON.parse(shown.stdout) as { attempts: unknown[] }).attempts.length);
          log(`  realistic round ${round + 1}: spool first ${first.at(-1)!.toFixed(2)} s, remembered ${remembered.at(-1)!.toFixed(2)} s (${tasks.at(-1)} chunks)`);
        },
      ];
      for (let i = 0; i < units.length; i++) await units[(i + round) % units.length]!();
    }
    notes.push(`realistic: the remembered run rendered in ${tasks.join(', ')} chunk(s) per round (one Blender start each).`);
    const figure = (what: string): string => `slow.blend (~0.5 s/frame) ${FRAMES} frames, ${what}: wall`;
    return [
      ratioRow({ bench: 'realistic', figure: figure('first run'), unit: 's', spool: first, peer: blender, peerName: 'blender -a', targetRatio: 1.03 }),
      ratioRow({ bench: 'realistic', figure: figure('timing remembered'), unit: 's', spool: remembered, peer: blender, peerName: 'blender -a', targetRatio: 1.03 }),
    ];
  } finally {
    removeDir(root);
  }
};
