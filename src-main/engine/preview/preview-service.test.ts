import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreviewError, PreviewService, previewArgs } from './preview-service';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/exr');
const MULTILAYER = path.join(FIXTURES, 'blender-multilayer.exr');
const SINGLE = path.join(FIXTURES, 'blender-single.exr');

describe('PreviewService', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spool-previews-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Distinct files (name, mtime): each one a cache miss. */
  const copies = (source: string, n: number, tag: string): string[] =>
    Array.from({ length: n }, (_, i) => {
      const file = path.join(dir, `${tag} ${i}.exr`);
      copyFileSync(source, file);
      const t = new Date(Date.now() - (i + 1) * 1000);
      utimesSync(file, t, t);
      return file;
    });

  /** Runs the requests together and reports the most previews it saw being made at once. */
  async function mostAtOnce(service: PreviewService, files: string[]): Promise<number> {
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, service.active)), 2);
    try {
      const made = await Promise.all(files.map((f) => service.preview(f)));
      expect(new Set(made).size).toBe(files.length);
      for (const png of made) expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      clearInterval(watch);
    }
    return most;
  }

  it('makes one preview at a time while a render runs, and a few at once when idle', async () => {
    let busy = true;
    const service = new PreviewService({ dir: path.join(dir, 'cache'), busy: () => busy });
    expect(await mostAtOnce(service, copies(MULTILAYER, 4, 'busy'))).toBe(1);
    busy = false;
    expect(await mostAtOnce(service, copies(MULTILAYER, 4, 'idle'))).toBe(2);
    await service.stop();
  });

  it('asks oiiotool for the beauty (Combined) of a multilayer EXR, plain RGB of a single-layer one, in sRGB', () => {
    expect(previewArgs(MULTILAYER, null)).toEqual([MULTILAYER, '--ch', 'R=ViewLayer.Combined.R,G=ViewLayer.Combined.G,B=ViewLayer.Combined.B', '--colorconvert', 'linear', 'sRGB', '-d', 'uint8']);
    // A data pass is shown as stored, not colour-converted.
    expect(previewArgs(MULTILAYER, 'ViewLayer.Depth')).toEqual([MULTILAYER, '--ch', 'R=ViewLayer.Depth.Z,G=ViewLayer.Depth.Z,B=ViewLayer.Depth.Z', '-d', 'uint8']);
    expect(previewArgs(SINGLE, null)).toEqual([SINGLE, '--ch', 'R=R,G=G,B=B', '--colorconvert', 'linear', 'sRGB', '-d', 'uint8']);
    expect(() => previewArgs(MULTILAYER, 'Nope')).toThrow(PreviewError);
  });

  it('says what to install when oiiotool is missing', async () => {
    const service = new PreviewService({ dir: path.join(dir, 'none'), busy: () => false, tool: null });
    await expect(service.preview(SINGLE)).rejects.toThrow(/install OpenImageIO \(Debian\/Ubuntu: openimageio-tools\)/);
  });
});
