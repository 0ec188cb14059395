/**
 * A tiny renderer for the benchmarks: prints Blender-style lines for frames START..END
 * (`Fra:N …`, then `Saved: 'PATH'` once a real 1×1 PNG is written), a frame every MS ms after
 * STARTUP_MS. With STAMPS it appends `frame epochMs` the moment each `Saved:` line is printed, so
 * a bench can time what follows it. An OUT without `#` is one file every frame's `Saved:` line
 * names (a job of 100,000 frames leaves no 100,000 files behind).
 *
 *   node frame-printer.mjs START END OUT MS [STARTUP_MS] [STAMPS]
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const [start, end, out, ms, startupMs, stamps] = process.argv.slice(2);
const first = Number(start);
const last = Number(end);
const frameMs = Number(ms);
const sleep = (n: number): Promise<void> => (n > 0 ? new Promise((resolve) => setTimeout(resolve, n)) : Promise.resolve());
const fileOf = (frame: number): string => out!.replace(/#+/, (m) => String(frame).padStart(m.length, '0'));

async function main(): Promise<void> {
  await sleep(Number(startupMs ?? 0));
  const shared = out!.includes('#') ? null : path.resolve(out!);
  if (shared) {
    mkdirSync(path.dirname(shared), { recursive: true });
    writeFileSync(shared, PNG_1X1);
  }
  let batch = '';
  for (let frame = first; frame <= last; frame++) {
    await sleep(frameMs);
    const file = shared ?? fileOf(frame);
    if (!shared) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, PNG_1X1);
    }
    batch += `Fra:${frame} Mem:1.00M (Peak 1.00M) | Time:00:00.01 | Sample 1/1\nSaved: '${file}'\n Time: 00:00.01 (Saving: 00:00.00)\n`;
    // Fast frames are written in batches, as a real renderer's buffered stdout would arrive.
    if (frameMs > 0 || batch.length > 16_384 || frame === last) {
      process.stdout.write(batch);
      batch = '';
      if (stamps) appendFileSync(stamps, `${frame} ${Date.now()}\n`);
    }
  }
}

void main();
