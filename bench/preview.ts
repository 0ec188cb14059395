/**
 * preview: what showing EXR frames costs. (1) Time to make one frame's preview through the
 * engine's PreviewService (queue, nice/ionice, supervised oiiotool, cache write) against the same
 * oiiotool conversion run bare; and a cache hit. (2) What previews cost a render: the same
 * Blender job through `spool submit --wait`, alone and while the PreviewService keeps making
 * previews of full-HD multilayer EXRs back to back (as a viewer or flipbook would ask for them).
 */
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PreviewService, previewArgs } from '../src-main/engine/preview/preview-service';
import { BLENDER, makeBlenderScene } from '../test/helpers/blender';
import { expectOk, hasCommand, limitRow, log, ratioRow, removeDir, spoolArgs, tempDir, timeChild, type Bench, type Row } from './lib';

const RENDER_FRAMES = 24;
const PREVIEWS_PER_ROUND = 6;

export const preview: Bench = async ({ rounds, notes }) => {
  if (!hasCommand(BLENDER) || !hasCommand('oiiotool')) {
    notes.push('preview: skipped, needs Blender and oiiotool (openimageio-tools).');
    return [];
  }
  const root = tempDir('preview');
  try {
    const exr = await fullHdExr(path.join(root, 'exr'));
    const scene = await makeBlenderScene(path.join(root, 'scene'), { start: 1, end: RENDER_FRAMES, resolution: [128, 72], samples: 8 });

    // Distinct files (names and mtimes) so every preview is a cache miss.
    let copies = 0;
    const freshCopy = (): string => {
      const file = path.join(root, 'frames', `f_${String(++copies).padStart(5, '0')}.exr`);
      mkdirSync(path.dirname(file), { recursive: true });
      copyFileSync(exr, file);
      const t = new Date(Date.now() - copies * 1000);
      utimesSync(file, t, t);
      return file;
    };

    const service = (busy: boolean): PreviewService => new PreviewService({ dir: path.join(root, 'previews'), busy: () => busy });
    const viaSpool: number[] = [];
    const bare: number[] = [];
    const hit: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const previews = service(false);
      for (let i = 0; i < PREVIEWS_PER_ROUND; i++) {
        const file = freshCopy();
        let started = performance.now();
        await previews.preview(file);
        viaSpool.push(performance.now() - started);
        started = performance.now();
        await previews.preview(file);
        hit.push(performance.now() - started);
        const out = path.join(root, 'bare.png');
        bare.push(expectOk('oiiotool', await timeChild('oiiotool', [...previewArgs(freshCopy(), null), '-o', out])).wallMs);
      }
      log(`  preview round ${round + 1}: spool ${viaSpool.at(-1)!.toFixed(0)} ms, bare oiiotool ${bare.at(-1)!.toFixed(0)} ms`);
    }

    const alone: number[] = [];
    const withPreviews: number[] = [];
    const made: number[] = [];
    const renderOnce = async (tag: string): Promise<number> => {
      const dataDir = path.join(root, `data-${tag}`);
      const out = path.join(root, 'renders', tag, 'f_####');
      const run = expectOk('spool submit', await timeChild(process.execPath, spoolArgs(dataDir, 'submit', scene, '--frames', `1-${RENDER_FRAMES}`, '--chunk', String(RENDER_FRAMES), '--output', out, '--wait')));
      return run.wallMs / 1000;
    };
    for (let round = 0; round < rounds; round++) {
      const units: [string, () => Promise<void>][] = [
        ['alone', async () => void alone.push(await renderOnce(`r${round}-alone`))],
        [
          'with previews',
          async () => {
            // A render runs: the service goes one preview at a time, at the lowest priority.
            const previews = service(true);
            let stop = false;
            let count = 0;
            const load = (async () => {
              while (!stop) {
                await previews.preview(freshCopy());
                count++;
              }
            })();
            withPreviews.push(await renderOnce(`r${round}-previews`));
            stop = true;
            await load;
            made.push(count);
          },
        ],
      ];
      for (let i = 0; i < units.length; i++) await units[(i + round) % units.length]![1]();
      log(`  preview round ${round + 1}: render alone ${alone.at(-1)!.toFixed(2)} s, with previews ${withPreviews.at(-1)!.toFixed(2)} s (${made.at(-1)} previews made meanwhile)`);
    }

    notes.push(`preview: the EXR is Blender's 1920×1080 multilayer (Combined, Depth, Normal); ${made.join(', ')} previews were made during the renders "with previews".`);
    const rows: Row[] = [
      ratioRow({ bench: 'preview', figure: 'EXR 1920×1080 multilayer → PNG preview, per frame', unit: 'ms', spool: viaSpool, peer: bare, peerName: 'bare oiiotool', targetRatio: 1.2 }),
      limitRow({ bench: 'preview', figure: 'same frame again (cache hit)', unit: 'ms', values: hit, max: 10 }),
      ratioRow({ bench: 'preview', figure: `${RENDER_FRAMES}-frame Blender render while previews are made: wall`, unit: 's', spool: withPreviews, peer: alone, peerName: 'render alone', targetRatio: 1.02 }),
    ];
    return rows;
  } finally {
    removeDir(root);
  }
};

/** One full-HD multilayer EXR (Combined, Depth, Normal) rendered by Blender with one sample. */
async function fullHdExr(dir: string): Promise<string> {
  const scene = await makeBlenderScene(dir, { start: 1, end: 1, resolution: [1920, 1080], samples: 1 });
  const out = path.join(dir, 'hd_####');
  const script = path.join(dir, 'passes.py');
  writeFileSync(script, 'import bpy\nvl = bpy.context.scene.view_layers[0]\nvl.use_pass_z = True\nvl.use_pass_normal = True\n');
  expectOk('blender (EXR)', await timeChild(BLENDER, ['-b', scene, '--python', script, '-o', out, '-F', 'OPEN_EXR_MULTILAYER', '-f', '1']));
  return path.join(dir, 'hd_0001.exr');
}
