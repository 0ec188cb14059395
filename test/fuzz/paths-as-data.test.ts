import fc from 'fast-check';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandAdapter } from '../../src-main/engine/adapters/command';
import { Engine } from '../../src-main/engine/engine';
import { quote, REPO, tempDir } from '../helpers/fake-dcc';
import { spool } from '../helpers/spool-cli';

/**
 * Scene paths are data, never code: whatever characters a path holds, the renderer's argv gets it
 * as one argument, byte for byte, and no shell ever sees it. The renderer here is a tiny Node
 * script that appends its argv as one JSON line to a file; paths carrying `$(touch …)` and
 * backticks would leave a marker file behind if anything interpreted them.
 */

const ARGV_WRITER = `import { appendFileSync } from 'node:fs';
appendFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)) + '\\n');
`;

/** Names a user might really give a scene, and the ones an attacker would. */
const HOSTILE_NAMES = [
  'shot 010 final.txt',
  "it's.txt",
  'say "hi".txt',
  'a;b.txt',
  'semi ; touch pwned-semicolon.txt',
  '$(touch pwned-dollar).txt',
  '`touch pwned-backtick`.txt',
  '${IFS}x$HOME.txt',
  'line\nbreak.txt',
  'tab\there.txt',
  'Ünïcødé 日本語 🎬.txt',
  '-rf.txt',
  '--help',
  '* ? [a-z].txt',
  '~user.txt',
  'a | b > c & d.txt',
  'back\\slash.txt',
  "'; touch pwned-quote; '.txt",
  '{scene}{frame}.txt',
  ' leading and trailing ',
];
const MARKERS = ['pwned-semicolon', 'pwned-dollar', 'pwned-backtick', 'pwned-quote', 'pwned-template'];

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

function setup(): { dir: string; scenes: string; writer: string; log: string } {
  const dir = tempDir('spool-paths-');
  const scenes = path.join(dir, 'scenes');
  mkdirSync(scenes);
  const writer = path.join(dir, 'argv-writer.mjs');
  writeFileSync(writer, ARGV_WRITER);
  return { dir, scenes, writer, log: path.join(dir, 'argv.jsonl') };
}

function loggedArgvs(log: string): string[][] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
}

function noMarkers(...dirs: string[]): void {
  for (const dir of dirs) for (const marker of MARKERS) expect(existsSync(path.join(dir, marker)), `${marker} in ${dir}`).toBe(false);
}

describe('scene paths reach the renderer as data', () => {
  it('through the CLI: hostile and odd names, several scenes in one submit, each one argv item exactly', async () => {
    const { dir, scenes, writer, log } = setup();
    const paths = HOSTILE_NAMES.map((name) => path.join(scenes, name));
    for (const p of paths) writeFileSync(p, '');
    const data = path.join(dir, 'data');
    // The template's own literal `$(touch …)` and `;` are data too.
    const template = `${quote(process.execPath)} ${quote(writer)} ${quote(log)} {scene} {frame} 'pre{scene}post' '$(touch pwned-template)' ';'`;
    const submitted = await spool(data, ['submit', '--dcc', 'command', '--template', template, '--frames', '7', '--json', ...paths], { cwd: dir });
    expect(submitted.stderr).not.toMatch(/spool:/);
    expect(submitted.code).toBe(0);
    expect(JSON.parse(submitted.stdout)).toHaveLength(paths.length);
    const ran = await spool(data, ['run', '--until-idle'], { cwd: dir, timeoutMs: 90_000 });
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);

    const argvs = loggedArgvs(log);
    expect(argvs).toHaveLength(paths.length);
    const expected = paths.map((p) => [p, '7', `pre${p}post`, '$(touch pwned-template)', ';']);
    expect([...argvs].sort()).toEqual([...expected].sort());
    noMarkers(dir, scenes, REPO, process.cwd());

    // The attempts record the program itself as argv[0]: no shell was put in between.
    const jobs = JSON.parse((await spool(data, ['jobs', '--json'])).stdout) as { id: number; status: string }[];
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
    const shown = JSON.parse((await spool(data, ['show', String(jobs[0]!.id), '--json'])).stdout) as { attempts: { argv: string[] }[] };
    expect(shown.attempts[0]!.argv[0]).toBe(process.execPath);
  }, 120_000);

  it('through the engine and the generic command adapter: generated names, byte for byte', async () => {
    const { dir, scenes, writer, log } = setup();
    const name = fc
      .string({ unit: fc.oneof(fc.constantFrom(' ', '"', "'", ';', '$', '(', ')', '`', '\\', '\n', '\t', '*', '&', '|', '<', '>', '{', '}', '#', '~', '!', '-'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 40 })
      .filter((s) => !s.includes('/') && !s.includes('\0') && s !== '.' && s !== '..' && Buffer.byteLength(s) <= 200 && Buffer.from(s).toString() === s);
    const names = [...new Set(fc.sample(name, { numRuns: 60 }))];
    const paths = names.map((n) => path.join(scenes, n));
    for (const p of paths) writeFileSync(p, '');

    engine = await Engine.start({ dataDir: path.join(dir, 'data'), killGraceMs: 500 });
    const template = `${quote(process.execPath)} ${quote(writer)} ${quote(log)} {scene} --scene={scene} {frame}`;
    await engine.submitMany(paths.map((scene) => ({ dcc: 'command', scene, frames: '3', overrides: { template } })));
    await engine.untilIdle();

    const argvs = loggedArgvs(log);
    expect(argvs).toHaveLength(paths.length);
    const expected = paths.map((p) => [p, `--scene=${p}`, '3']);
    expect([...argvs].sort()).toEqual([...expected].sort());
    noMarkers(dir, scenes, REPO, process.cwd());
    console.log(`paths as data: ${paths.length} generated scene names through the engine, ${HOSTILE_NAMES.length} hostile ones through the CLI`);
  }, 120_000);

  it('in the command adapter: thousands of arbitrary scene and output paths, each filled into exactly one argv item', () => {
    const anyPath = fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map((s) => `/p/${s}`);
    fc.assert(
      fc.property(anyPath, anyPath, fc.integer({ min: -1000, max: 1000 }), (scene, outputDir, frame) => {
        const output = `${outputDir}/f_####.png`;
        const command = commandAdapter.buildCommand(
          {
            scene,
            frames: [frame],
            output,
            device: { kind: 'cpu', threads: 2 },
            overrides: { template: "tool {scene} 'x{scene}y' --out={output} {frame}" },
          },
          '',
        );
        const padded = `${frame < 0 ? '-' : ''}${String(Math.abs(frame)).padStart(4, '0')}`;
        expect(command.file).toBe('tool');
        expect(command.args).toEqual([scene, `x${scene}y`, `--out=${outputDir}/f_${padded}.png`, String(frame)]);
      }),
      { numRuns: 3000 },
    );
  });
});
