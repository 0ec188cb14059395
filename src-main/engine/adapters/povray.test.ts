import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedEvent, RenderChunk } from './adapter';
import { createPovrayParser, povrayAdapter } from './povray';

const POVRAY = process.env.SPOOL_TEST_POVRAY ?? '/usr/bin/povray';
const cpu = { kind: 'cpu', threads: 2 } as const;

function chunk(partial: Partial<RenderChunk>): RenderChunk {
  return { scene: '/s/anim.pov', frames: [1], output: null, device: cpu, overrides: {}, ...partial };
}

function parseAll(c: RenderChunk, lines: string[]): ParsedEvent[] {
  const parser = createPovrayParser(c);
  return lines.flatMap((l) => parser.parse(l));
}

describe('povrayAdapter.buildCommand', () => {
  it('maps the # run to KFF digits and keeps clock 0→1 over the job range', () => {
    const c = chunk({ frames: [1, 2, 3], output: '/out/img_####.png', sequence: { first: 1, last: 5 } });
    expect(povrayAdapter.buildCommand(c, 'povray')).toEqual({
      file: 'povray',
      args: ['+I/s/anim.pov', '+O/out/img_.png', '+FN', '+KFI1', '+KFF1000', '+KI0', '+KF249.75', '+SF1', '+EF3', '+WT2', '-D', '+V'],
      cwd: '/s',
    });
  });

  it('steps with +STP, appends the extension itself and picks the format from the job', () => {
    const c = chunk({ frames: [10, 12, 14], output: '/out/img_##', overrides: { format: 'exr' }, sequence: { first: 10, last: 20 } });
    expect(povrayAdapter.buildCommand(c, 'povray').args).toEqual([
      '+I/s/anim.pov', '+O/out/img_', '+FE', '+KFI10', '+KFF14', '+KI0', '+KF0.4', '+SF10', '+EF14', '+STP2', '+WT2', '-D', '+V',
    ]);
    expect(povrayAdapter.expectedOutput(c, 12)).toBe('/out/img_12.exr');
  });

  it('renders a chunk on its own range when the job range is unknown, with the scene output', () => {
    const c = chunk({ frames: [4, 5, 6], device: { kind: 'gpu', index: 0 } });
    expect(povrayAdapter.buildCommand(c, 'povray').args).toEqual(['+I/s/anim.pov', '+KFI4', '+KFF6', '+KI0', '+KF1', '+SF4', '+EF6', '-D', '+V']);
    expect(povrayAdapter.expectedOutput(c, 5)).toBeNull();
  });

  it('never lets KFI equal KFF (clock would be NaN)', () => {
    const c = chunk({ frames: [1000], output: '/o/f_####.png', sequence: { first: 1000, last: 1000 } });
    const args = povrayAdapter.buildCommand(c, 'povray').args;
    expect(args).toContain('+KFI999');
    expect(args).toContain('+KFF1000');
    expect(args).toContain('+KI0');
    expect(args).toContain('+KF0');
    expect(povrayAdapter.expectedOutput(c, 1000)).toBe('/o/f_1000.png');
  });

  it('covers a retried chunk with a hole in one run', () => {
    const c = chunk({ frames: [1, 2, 4], output: '/o/f_#', sequence: { first: 1, last: 9 } });
    const args = povrayAdapter.buildCommand(c, 'povray').args;
    expect(args.filter((a) => /^\+(SF|EF|STP)/.test(a))).toEqual(['+SF1', '+EF4']);
  });

  it('validates format and where the # run sits', () => {
    const v = (output: string | null, format?: string) =>
      povrayAdapter.validate!({ scene: '/s.pov', output, overrides: format ? { format } : {} });
    expect(v('/o/f_####.png')).toBeNull();
    expect(v('/o/f_####')).toBeNull();
    expect(v('/o/f_####.exr')).toBeNull();
    expect(v('/o/f_####.jpg', 'JPEG')).toBeNull();
    expect(v('/o/f_####_beauty.png')).toMatch(/frame number last/);
    expect(v('/o/f_####.png', 'OPEN_EXR')).toMatch(/frame number last/);
    expect(v(null, 'TIFF')).toMatch(/cannot write "TIFF"/);
  });
});

describe('POV-Ray parser on recorded lines', () => {
  // Recorded here from POV-Ray 3.7.0.10 (Debian): `povray +Ianim.pov +O/tmp/pv/out6/img_.png +FN +KFI1 +KFF1000
  // +KI0 +KF249.75 +SF1 +EF2 +WT2 -D +V` (32x24 from a povray.ini), all on stderr; parser statistics left out.
  const recorded = [
    'povray: cannot open the user configuration file /root/.povray/3.7/povray.conf: No such file or directory',
    '',
    'Rendering frame 1 of 2',
    '',
    'Rendering frame 1 of 2',
    '  Output file........../tmp/pv/out6/img_0001.png, 24 bpp PNG',
    '==== [Parsing...] ==========================================================',
    'Parse Warning: assumed_gamma not specified, so gamma_correction is turned off',
    ' for compatibility with this pre POV-Ray 3.7 scene. See the documentation for',
    '==== [Rendering...] ========================================================',
    'Rendered 768 of 768 pixels (100%)',
    '----------------------------------------------------------------------------',
    'Render Statistics',
    'Image Resolution 32 x 24',
    '  Trace Time:       0 hours  0 minutes  0 seconds (0.002 seconds)',
    '              using 2 thread(s) with 0.001 CPU-seconds total',
    '',
    'Rendering frame 2 of 2',
    '  Output file........../tmp/pv/out6/img_0002.png, 24 bpp PNG',
    // Redraws of the pixel counter arrive as one line when nothing splits on \r (seen under strace).
    'Rendered 384 of 768 pixels (50%)\rRendered 768 of 768 pixels (100%)',
    'Render Statistics',
    'POV-Ray finished',
  ];

  it('turns frame index, output file and statistics into frame events', () => {
    const c = chunk({ frames: [1, 2], output: '/tmp/pv/out6/img_####.png', sequence: { first: 1, last: 5 } });
    expect(parseAll(c, recorded)).toEqual([
      { type: 'frame-start', frame: 1 },
      { type: 'progress', frame: 1, fraction: 1 },
      { type: 'frame-saved', frame: 1, path: '/tmp/pv/out6/img_0001.png' },
      { type: 'frame-start', frame: 2 },
      { type: 'progress', frame: 2, fraction: 1 },
      { type: 'frame-saved', frame: 2, path: '/tmp/pv/out6/img_0002.png' },
    ]);
  });

  it('counts "Rendering frame N" from the subset start, whatever the step', () => {
    // Recorded: `+KFI1 +KFF9 +SF2 +EF8 +STP3` printed frames 1, 4 and 7 "of 7" and wrote img_2, img_5, img_8.
    const c = chunk({ frames: [2, 5, 8] });
    const lines = ['Rendering frame 1 of 7', '  Output file........../o/img_2.png, 24 bpp PNG', 'Render Statistics', 'Rendering frame 4 of 7', 'Rendering frame 7 of 7'];
    expect(parseAll(c, lines).filter((e) => e.type === 'frame-start')).toEqual([
      { type: 'frame-start', frame: 2 },
      { type: 'frame-start', frame: 5 },
      { type: 'frame-start', frame: 8 },
    ]);
  });

  it('takes the file name from a JPEG output line and a relative one as printed', () => {
    // Recorded: `+O/tmp/pv/out3/img_.jpg +FJ` and, without +O, `clk1.png` (relative to the scene's folder).
    const c = chunk({ frames: [1] });
    expect(parseAll(c, ['Rendering frame 1 of 1', '  Output file........../tmp/pv/out3/img_1.jpg, 24 bpp, quality 85% JPEG', 'Render Statistics'])).toContainEqual({
      type: 'frame-saved',
      frame: 1,
      path: '/tmp/pv/out3/img_1.jpg',
    });
    expect(parseAll(c, ['Rendering frame 1 of 3', '  Output file..........clk1.png, 24 bpp PNG', 'Render Statistics'])).toContainEqual({
      type: 'frame-saved',
      frame: 1,
      path: 'clk1.png',
    });
  });

  it('still reports a frame saved when statistics are off (next frame or the end tells)', () => {
    const c = chunk({ frames: [3, 4], output: '/o/f_##' });
    const events = parseAll(c, ['Rendering frame 1 of 2', 'Rendering frame 2 of 2', 'POV-Ray finished']);
    expect(events.filter((e) => e.type === 'frame-saved')).toEqual([
      { type: 'frame-saved', frame: 3, path: '/o/f_03.png' },
      { type: 'frame-saved', frame: 4, path: '/o/f_04.png' },
    ]);
  });

  it('classifies recorded error lines', () => {
    const c = chunk({ frames: [1] });
    const cases: [string, boolean, boolean][] = [
      // [line, fatal, retryable], all recorded from POV-Ray 3.7.0.10 here.
      ["Possible Parse Error: Cannot find file 'missing.pov', even after trying to", false, true],
      ['Parse Error: Cannot open input file.', true, false],
      ['Fatal error in parser: Cannot parse input.', true, false],
      ["File 'bad.pov' line 2: Parse Error: No matching } in 'sphere', End of File found", true, false],
      ["File 'inc.pov' line 2: Possible Parse Error: Cannot find file 'nothere.inc',", false, true],
      ['File \'inc.pov\' line 2: Parse Error: Cannot open include file nothere.inc.', true, false],
      // A valid scene without assumed_gamma prints this and renders fine.
      ['Possible Parse Error: assumed_gamma not specified in this POV-Ray 3.7 or later', false, true],
      // Output folder missing.
      ['Cannot create render state output file.', false, true],
      ['Render failed', true, true],
    ];
    for (const [line, fatal, retryable] of cases) {
      const events = parseAll(c, [line]);
      expect(events, line).toEqual([{ type: 'error', message: line, fatal, retryable }]);
    }
    expect(parseAll(c, ['Parse Warning: assumed_gamma not specified, so gamma_correction is turned off'])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Real POV-Ray.

const CLOCK_SCENE = `#version 3.7;
global_settings { assumed_gamma 1.0 }
#debug concat("SPOOL_CLOCK frame=", str(frame_number, 0, 0), " clock=", str(clock, 0, 6), "\\n")
camera { location <0, 2, -5> look_at <0, 0, 0> }
light_source { <2, 4, -3> color rgb 1 }
sphere { <clock * 2 - 1, 0, 0>, 0.8 pigment { color rgb <1, 0.5, 0.2> } }
plane { y, -1 pigment { checker color rgb 1 color rgb 0.2 } }
`;

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe.skipIf(!existsSync(POVRAY))('POV-Ray for real', () => {
  let dir: string;
  let scene: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'spool-povray-'));
    scene = path.join(dir, 'anim.pov');
    writeFileSync(scene, CLOCK_SCENE);
    // POV-Ray reads ./povray.ini and the command runs in the scene's folder: size comes from there.
    writeFileSync(path.join(dir, 'povray.ini'), 'Width=32\nHeight=24\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function render(c: RenderChunk) {
    const cmd = povrayAdapter.buildCommand(c, POVRAY);
    const result = await execa(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, reject: false, all: true, stdin: 'ignore' });
    const parser = povrayAdapter.createParser(c);
    const events = (result.all ?? '').split(/\r\n|\r|\n/).flatMap((l) => parser.parse(l));
    const clocks = [...(result.all ?? '').matchAll(/SPOOL_CLOCK frame=(\d+) clock=([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    return { result, events, clocks, output: result.all ?? '' };
  }

  it('renders frames 1-3 of a 5-frame animation at 32x24 with exact names and clock', async () => {
    const out = path.join(dir, 'out');
    mkdirSync(out);
    const c = chunk({ scene, frames: [1, 2, 3], output: path.join(out, 'img_####.png'), sequence: { first: 1, last: 5 } });
    const { result, events, clocks, output } = await render(c);
    expect(result.exitCode, output).toBe(0);
    const saved = events.filter((e) => e.type === 'frame-saved');
    expect(saved).toEqual([1, 2, 3].map((f) => ({ type: 'frame-saved', frame: f, path: path.join(out, `img_000${f}.png`) })));
    for (const f of [1, 2, 3]) {
      const file = povrayAdapter.expectedOutput(c, f)!;
      expect(file).toBe(path.join(out, `img_000${f}.png`));
      expect(pngSize(file)).toEqual([32, 24]);
    }
    expect(existsSync(path.join(out, 'img_0004.png'))).toBe(false);
    // The same clock a plain 1-5 animation gives: 0, 0.25, 0.5 (not 0, 0.5, 1 for the chunk alone).
    expect(clocks).toEqual([
      [1, 0],
      [2, 0.25],
      [3, 0.5],
    ]);
  });

  it('renders a stepped chunk with +STP and the same clock as the full animation', async () => {
    const out = path.join(dir, 'step');
    mkdirSync(out);
    const c = chunk({ scene, frames: [5, 7, 9], output: path.join(out, 's_##'), sequence: { first: 1, last: 9 } });
    const { result, events, clocks, output } = await render(c);
    expect(result.exitCode, output).toBe(0);
    expect(events.filter((e) => e.type === 'frame-saved').map((e) => (e as { path: string }).path)).toEqual(
      [5, 7, 9].map((f) => path.join(out, `s_0${f}.png`)),
    );
    expect(clocks).toEqual([
      [5, 0.5],
      [7, 0.75],
      [9, 1],
    ]);
    for (const f of [5, 7, 9]) expect(existsSync(povrayAdapter.expectedOutput(c, f)!)).toBe(true);
    expect(existsSync(path.join(out, 's_06.png'))).toBe(false);
  });

  it('fails a broken scene at once, not retryable, exit 1', async () => {
    const bad = path.join(dir, 'bad.pov');
    writeFileSync(bad, 'camera { location <0,0,-3> look_at 0 }\nsphere { 0, 1 pigment { rgb 1 }\n');
    const { result, events } = await render(chunk({ scene: bad, frames: [1, 2], output: path.join(dir, 'bad_##') }));
    expect(result.exitCode).toBe(1);
    const fatal = events.filter((e) => e.type === 'error' && e.fatal);
    expect(fatal[0]).toMatchObject({ retryable: false, message: expect.stringContaining('Parse Error') });
    expect(events.some((e) => e.type === 'frame-saved')).toBe(false);
  });

  it('reports a missing scene as a parse error that retrying cannot fix', async () => {
    const { result, events } = await render(chunk({ scene: path.join(dir, 'missing.pov'), frames: [1], output: path.join(dir, 'm_##') }));
    expect(result.exitCode).toBe(1);
    expect(events.filter((e) => e.type === 'error' && e.fatal)[0]).toEqual({
      type: 'error',
      message: 'Parse Error: Cannot open input file.',
      retryable: false,
      fatal: true,
    });
  });
});

describe('povray paths with spaces and quotes', () => {
  it('quotes a path with spaces for POV-Ray itself (one argv item, no shell)', () => {
    const args = povrayAdapter.buildCommand(chunk({ scene: '/my scenes/anim 1.pov', output: '/out dir/img_####.png' }), 'povray').args;
    expect(args[0]).toBe('+I"/my scenes/anim 1.pov"');
    expect(args[1]).toBe('+O"/out dir/img_.png"');
  });

  it('refuses a path with a double quote, which POV-Ray cannot read', () => {
    expect(povrayAdapter.validate!({ scene: '/s/say "hi".pov', output: null, overrides: {} })).toMatch(/double quote/);
  });
});
