import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src-main/engine/engine';
import { renderReport } from '../src-main/engine/report';
import { fakeTemplate, quote, tempDir } from './helpers/fake-dcc';

/** Blender 3.4's multilayer EXR, 32×18: ffmpeg cannot decode it ("Not yet implemented"). */
const MULTILAYER = path.resolve(__dirname, 'fixtures/exr/blender-multilayer.exr');

let engine: Engine | null = null;
afterAll(async () => {
  await engine?.stop();
});

describe('contact sheet and HTML report of multilayer EXR frames', () => {
  it('build the sheet from the viewer previews and embed them in the report', async () => {
    const dir = tempDir('spool-exr-steps-');
    const dataDir = path.join(dir, 'data');
    engine = await Engine.start({ dataDir, killGraceMs: 500, detect: false });
    const [job] = await engine.submitMany([
      {
        name: 'exr_sh010',
        dcc: 'command',
        frames: '1-3',
        chunk: 3,
        output: path.join(dir, 'render', 'f_####.exr'),
        overrides: { template: fakeTemplate(`--image ${quote(MULTILAYER)}`) },
        steps: [{ kind: 'preview', movie: false }],
      },
    ]);
    await engine.untilIdle();
    const detail = engine.jobDetail(job!.id);
    expect(detail.job.status).toBe('succeeded');
    const step = detail.steps![0]!;
    const sheet = step.outputs.find((o) => o.endsWith('_sheet.png'))!;
    expect(existsSync(sheet)).toBe(true);
    // Three 32×18 previews scaled to 160 wide (ffmpeg's tile, 3×1, 4 px padding and margin).
    const head = readFileSync(sheet);
    expect([head.readUInt32BE(16), head.readUInt32BE(20)]).toEqual([3 * 160 + 2 * 4 + 2 * 4, 90 + 2 * 4]);

    const html = renderReport(engine.store, 'html', { ids: [job!.id], previewsDir: path.join(dataDir, 'previews') }).text;
    expect(html).toContain('alt="f_0001.exr" src="data:image/png;base64,');
    expect(html).toContain('alt="f_0003.exr" src="data:image/png;base64,');
    expect(engine.report('html', { ids: [job!.id] }).text).toContain('alt="f_0002.exr" src="data:image/png;base64,');
  }, 120_000);
});
