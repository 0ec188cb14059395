import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedEvent, RenderChunk } from './adapter';
import { commandAdapter, createCommandParser, fillTemplate, quoteWord, splitTemplate } from './command';

const cpu = { kind: 'cpu', threads: 4 } as const;

function chunk(partial: Partial<RenderChunk>): RenderChunk {
  return { scene: '/s/scene.ma', frames: [7], output: '/out/f_####.exr', device: cpu, overrides: {}, ...partial };
}

describe('splitTemplate', () => {
  const words = (t: string) => {
    const r = splitTemplate(t);
    if (!r.ok) throw new Error(r.error);
    return r.words;
  };

  it('splits on blanks and honours quotes and backslashes like sh, expanding nothing', () => {
    expect(words('mytool --in {scene} --frame {frame}')).toEqual(['mytool', '--in', '{scene}', '--frame', '{frame}']);
    expect(words(`  a\t b\n c  `)).toEqual(['a', 'b', 'c']);
    expect(words(`'a b' "c d" e\\ f`)).toEqual(['a b', 'c d', 'e f']);
    expect(words(`a'b'"c"d`)).toEqual(['abcd']);
    expect(words(`'' ""`)).toEqual(['', '']);
    expect(words(`'it'\\''s'`)).toEqual([`it's`]);
    expect(words(`"a \\" \\\\ \\$ \\x"`)).toEqual([`a " \\ $ \\x`]);
    expect(words(`'\\n stays'`)).toEqual([`\\n stays`]);
    expect(words(`$HOME ~ *.exr $(id) \`id\` # ; && |`)).toEqual(['$HOME', '~', '*.exr', '$(id)', '`id`', '#', ';', '&&', '|']);
    expect(words(`a\\\nb`)).toEqual(['ab']);
    expect(words('')).toEqual([]);
  });

  it('names the column of an unbalanced quote', () => {
    expect(splitTemplate(`tool 'abc`)).toEqual({ ok: false, error: 'unbalanced single quote at column 6' });
    expect(splitTemplate(`tool "a\\"`)).toEqual({ ok: false, error: 'unbalanced double quote at column 6' });
    expect(splitTemplate(`tool a\\`)).toEqual({ ok: false, error: 'a backslash at the end of the template (column 7) escapes nothing' });
  });

  // Three ways a shell user quotes a word; splitting any mix of them must give the words back.
  const quoters: ((w: string) => string)[] = [
    quoteWord,
    (w) => `"${w.replace(/[$`"\\]/g, '\\$&')}"`,
    (w) => (w === '' ? "''" : w.replace(/[^A-Za-z0-9]/g, (c) => (c === '\n' ? `'\n'` : `\\${c}`))),
  ];

  it('round-trips arbitrary words through any quoting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.nat(quoters.length - 1)), { maxLength: 8 }),
        fc.constantFrom(' ', '  ', '\t', '\n'),
        (items, sep) => {
          const line = items.map(([w, q]) => quoters[q]!(w)).join(sep);
          expect(splitTemplate(line)).toEqual({ ok: true, words: items.map(([w]) => w) });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('commandAdapter templates', () => {
  it('fills tokens inside one argv item each, never re-splitting a value', () => {
    const scene = `/s/my "scene" $(rm -rf ~) it's.ma`;
    const argv = fillTemplate('tool --in {scene} --frame={frame} -o "{output}" -t {threads}', chunk({ scene }));
    expect(argv).toEqual(['tool', '--in', scene, '--frame=7', '-o', '/out/f_0007.exr', '-t', '4']);
  });

  it('builds a per-frame command and a per-chunk command', () => {
    expect(commandAdapter.buildCommand(chunk({ overrides: { template: 'tool {scene} {frame} {output}' } }), '')).toEqual({
      file: 'tool',
      args: ['/s/scene.ma', '7', '/out/f_0007.exr'],
      cwd: '/s',
    });
    const perChunk = chunk({ frames: [10, 12, 14], overrides: { template: 'tool -s {start} -e {end} -b {step} -o {output}' } });
    expect(commandAdapter.buildCommand(perChunk, '')).toEqual({
      file: 'tool',
      args: ['-s', '10', '-e', '14', '-b', '2', '-o', '/out/f_####.exr'],
      cwd: '/s',
    });
  });

  it('uses an explicit executable only when the job names one, and pins a GPU through the environment', () => {
    const c = chunk({ scene: null, device: { kind: 'gpu', index: 2 }, overrides: { template: 'tool {frame}', executable: '/opt/tool' } });
    expect(commandAdapter.buildCommand(c, '/opt/tool')).toEqual({
      file: '/opt/tool',
      args: ['7'],
      env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: '2' },
    });
    expect(commandAdapter.buildCommand({ ...c, overrides: { template: 'tool {frame}' } }, '/ignored').file).toBe('tool');
  });

  it('runs once per frame only for {frame} templates', () => {
    expect(commandAdapter.perFrame!({ template: 'tool {frame}' })).toBe(true);
    expect(commandAdapter.perFrame!({ template: 'tool {start} {end}' })).toBe(false);
    expect(commandAdapter.perFrame!({ template: 'tool' })).toBe(false);
  });

  it('refuses what cannot run', () => {
    const v = (template: string | undefined, extra: { scene?: string | null; output?: string | null } = {}) =>
      commandAdapter.validate!({
        scene: extra.scene === undefined ? '/s.ma' : extra.scene,
        output: extra.output === undefined ? '/o/f_####.png' : extra.output,
        overrides: template === undefined ? {} : { template },
      });
    expect(v(undefined)).toMatch(/empty/);
    expect(v('   ')).toMatch(/empty/);
    expect(v('tool {frame} {shot}')).toMatch(/unknown token \{shot\}/);
    expect(v(`tool 'oops`)).toBe('unbalanced single quote at column 6');
    expect(v('tool {frame} {start}')).toMatch(/\{frame\} together with \{start\}\/\{end\}/);
    expect(v('tool {frame} {output}', { output: null })).toMatch(/no output pattern/);
    expect(v('tool {scene}', { scene: null })).toMatch(/no scene/);
    expect(v('tool --in {scene} --frame {frame} --out {output}')).toBeNull();
    expect(v('tool {"json": true}')).toBeNull();
  });

  it('expects the filled output only when the template writes {output}', () => {
    expect(commandAdapter.expectedOutput(chunk({ overrides: { template: 'tool {frame} {output}' } }), 7)).toBe('/out/f_0007.exr');
    expect(commandAdapter.expectedOutput(chunk({ frames: [1, 2], overrides: { template: 'tool {start} {end} {output}' } }), 2)).toBe(
      '/out/f_0002.exr',
    );
    expect(commandAdapter.expectedOutput(chunk({ overrides: { template: 'tool {frame}' } }), 7)).toBeNull();
    expect(commandAdapter.expectedOutput(chunk({ output: null, overrides: { template: 'tool {frame} {output}' } }), 7)).toBeNull();
    expect(commandAdapter.reportsSavedFrames).toBe(false);
  });
});

describe('command parser', () => {
  const parse = (c: RenderChunk, lines: string[]): ParsedEvent[] => {
    const p = createCommandParser(c);
    return lines.flatMap((l) => p.parse(l));
  };

  it('reads percentages, ALF_PROGRESS and Blender-style lines', () => {
    const one = chunk({ frames: [7] });
    expect(parse(one, ['starting', 'progress: 12.5%', 'ALF_PROGRESS 17%'])).toEqual([
      { type: 'frame-start', frame: 7 },
      { type: 'progress', frame: 7, fraction: 0.125 },
      { type: 'progress', frame: 7, fraction: 0.17 },
    ]);
    const many = chunk({ frames: [1, 2] });
    expect(
      parse(many, [
        'Fra:2 Mem:48.09M (Peak 48.09M) | Time:00:03.01 | Scene, ViewLayer | Sample 768/4096',
        "Saved: '/out/f_0002.exr'",
        '50%',
      ]),
    ).toEqual([
      { type: 'frame-start', frame: 2 },
      { type: 'progress', frame: 2, fraction: 768 / 4096 },
      { type: 'frame-saved', frame: 2, path: '/out/f_0002.exr' },
      { type: 'progress', frame: 2, fraction: 0.5 },
    ]);
  });

  it('keeps error lines as non-fatal reasons: the exit code decides', () => {
    const c = chunk({ frames: [1, 2] });
    for (const line of ['error: cannot open scene', 'Error: out of memory', 'ERROR | license', '[tool] Error while saving', 'fatal error: x']) {
      expect(parse(c, [line]), line).toEqual([{ type: 'error', message: line, retryable: true, fatal: false }]);
    }
    for (const line of ['finished with 0 errors', 'errors: none', 'terror']) expect(parse(c, [line]), line).toEqual([]);
  });
});

describe('command adapter for real', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'spool-command-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a hostile scene path as one argument and writes where expected', async () => {
    const script = path.join(dir, 'tool.mjs');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';
const [scene, frame, out] = process.argv.slice(2);
console.log('50%');
writeFileSync(out, JSON.stringify({ scene, frame, argc: process.argv.length - 2 }));
console.log('Done 100%');
`,
    );
    const scene = path.join(dir, `a "b" $(touch pwned) c's é.ma`);
    writeFileSync(scene, '');
    const c = chunk({
      scene,
      frames: [3],
      output: path.join(dir, 'out f_##.json'),
      overrides: { template: `${quoteWord(process.execPath)} ${quoteWord(script)} {scene} {frame} {output}` },
    });
    expect(commandAdapter.validate!({ scene, output: c.output, overrides: c.overrides })).toBeNull();
    const cmd = commandAdapter.buildCommand(c, '');
    const result = await execa(cmd.file, cmd.args, { cwd: cmd.cwd, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    const parser = commandAdapter.createParser(c);
    const events = (result.all ?? '').split('\n').flatMap((l) => parser.parse(l));
    expect(events).toEqual([
      { type: 'frame-start', frame: 3 },
      { type: 'progress', frame: 3, fraction: 0.5 },
      { type: 'progress', frame: 3, fraction: 1 },
    ]);
    const expected = commandAdapter.expectedOutput(c, 3)!;
    expect(expected).toBe(path.join(dir, 'out f_03.json'));
    expect(JSON.parse(readFileSync(expected, 'utf8'))).toEqual({ scene, frame: '3', argc: 3 });
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
  });
});
