import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeLineBreaks } from './log-bytes';
import { processStartTime } from './process-identity';
import { supervise } from './supervise';
import type { StreamName, SuperviseOptions } from './types';

const FAKE_DCC = fileURLToPath(new URL('../../../test/fixtures/fake-dcc.mjs', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-supervise-out-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
const logPath = (): string => path.join(tmp, `logs-${++n}`, 'attempt.log');

function script(name: string, source: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, source);
  return file;
}

async function runCollect(opts: Omit<SuperviseOptions, 'logPath' | 'onLine'> & { logPath?: string }) {
  const lines: { line: string; stream: StreamName }[] = [];
  const log = opts.logPath ?? logPath();
  const result = await supervise({ ...opts, logPath: log, onLine: (line, stream) => lines.push({ line, stream }) }).result;
  const of = (stream: StreamName): string[] => lines.filter((l) => l.stream === stream).map((l) => l.line);
  return { result, lines, stdout: of('stdout'), stderr: of('stderr'), log };
}

describe('supervise: output', () => {
  it('splits both streams into lines: \\n, \\r\\n, lone \\r, UTF-8 and \\r\\n cut across writes, last partial line', async () => {
    const child = script(
      'lines.mjs',
      `const w = (s, b) => new Promise((r) => s.write(b, r));
       const pause = () => new Promise((r) => setTimeout(r, 60));
       await w(process.stdout, 'first\\n');
       await w(process.stdout, 'progress 10%\\rprogress 50%\\rprogress 100%\\r\\n');
       await w(process.stdout, Buffer.from([0x70, 0x72, 0x69, 0x78, 0x20, 0xe2])); await pause(); // "prix €" cut inside the €
       await w(process.stdout, Buffer.from([0x82])); await pause();
       await w(process.stdout, Buffer.from([0xac, 0x0a]));
       await w(process.stdout, 'crlf cut\\r'); await pause();
       await w(process.stdout, '\\nafter crlf\\n\\nafter empty\\n'); await pause();
       await w(process.stderr, 'err one\\nerr two\\r\\n'); await pause();
       await w(process.stdout, 'no break at the end');`,
    );
    const { result, stdout, stderr, lines, log } = await runCollect({ file: process.execPath, args: [child] });

    expect(result).toMatchObject({ cause: 'exit', exitCode: 0, signal: null, message: null, forceKilled: false });
    expect(stdout).toEqual([
      'first',
      'progress 10%',
      'progress 50%',
      'progress 100%',
      'prix €',
      'crlf cut',
      'after crlf',
      '',
      'after empty',
      'no break at the end',
    ]);
    expect(stderr).toEqual(['err one', 'err two']);
    // The writes were spaced in time, so arrival order across the two pipes is known too. The file
    // keeps the child's own bytes (\r included); read back, it holds the lines the live view got.
    const file = fs.readFileSync(log, 'utf8');
    expect(file).toContain('progress 10%\rprogress 50%\rprogress 100%\r\n');
    expect(normalizeLineBreaks(file)).toBe(lines.map((l) => l.line + '\n').join(''));
    expect(lines.map((l) => l.line).indexOf('err one')).toBe(stdout.length - 1);
  });

  it('renders frames with fake-dcc: images, counter, Saved lines, onSpawn with a start time', async () => {
    const out = path.join(tmp, 'render', 'img_####.png');
    const counter = path.join(tmp, 'render-counter.txt');
    const spawned: { pid: number; pidStart: string | null }[] = [];
    const { result, stdout } = await runCollect({
      file: process.execPath,
      args: [FAKE_DCC, '--start', '1', '--end', '3', '--out', out, '--counter', counter],
      onSpawn: (pid, pidStart) => spawned.push({ pid, pidStart: pidStart ?? processStartTime(pid) }),
    });

    expect(result).toMatchObject({ cause: 'exit', exitCode: 0, message: null });
    expect(spawned).toHaveLength(1);
    if (process.platform === 'linux') expect(spawned[0]?.pidStart).toMatch(/^\d+$/);
    for (const frame of ['0001', '0002', '0003']) {
      const png = fs.readFileSync(path.join(tmp, 'render', `img_${frame}.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(stdout).toContain(`Saved: '${path.join(tmp, 'render', `img_${frame}.png`)}'`);
    }
    expect(fs.readFileSync(counter, 'utf8')).toBe('1\n2\n3\n');
    expect(stdout.filter((l) => l.startsWith('Fra:2 '))).toHaveLength(4);
  });

  it('reports exit codes', async () => {
    const out = path.join(tmp, 'codes', 'f_#.png');
    const three = await runCollect({
      file: process.execPath,
      args: [FAKE_DCC, '--start', '1', '--end', '4', '--out', out, '--mode', 'exit-code', '--mode-frame', '2', '--code', '3'],
    });
    expect(three.result).toMatchObject({ cause: 'exit', exitCode: 3, signal: null, message: 'exited with code 3' });
    expect(fs.existsSync(path.join(tmp, 'codes', 'f_2.png'))).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'codes', 'f_3.png'))).toBe(false);

    const licence = await runCollect({ file: process.execPath, args: [FAKE_DCC, '--frame', '1', '--out', out, '--mode', 'licence'] });
    expect(licence.result).toMatchObject({ cause: 'exit', exitCode: 1, message: 'exited with code 1' });
    expect(licence.stdout).toContain('Error: [Redshift] License error: (RLM) All licenses in use (-22) //');
  });

  it.skipIf(process.platform === 'win32')('reports death by signal', async () => {
    const { result, stdout } = await runCollect({
      file: process.execPath,
      args: [FAKE_DCC, '--frame', '5', '--out', path.join(tmp, 'segv', '#.png'), '--mode', 'segv'],
    });
    expect(result).toMatchObject({ cause: 'exit', exitCode: null, signal: 'SIGSEGV', message: 'killed by SIGSEGV', forceKilled: false });
    expect(stdout.at(-1)).toMatch(/^Fra:5 .*Sample 2\/4$/);
  });

  it('passes arguments verbatim as argv, never through a shell', async () => {
    const marker = path.join(tmp, 'pwned-dollar');
    const marker2 = path.join(tmp, 'pwned-backtick');
    const cwd = fs.mkdtempSync(path.join(tmp, 'cwd-'));
    const printArgv = script('argv.mjs', 'process.stdout.write(JSON.stringify(process.argv.slice(2)) + "\\n");');
    const args = [
      'with space',
      'double "quoted"',
      "single 'quoted'",
      `$(touch ${marker})`,
      `\`touch ${marker2}\``,
      'a; touch semicolon',
      'a && touch and',
      'line one\nline two',
      'ünïcødé 日本語 🎬',
      '',
      '*',
      '$HOME',
      '>redirected',
      '\\back\\slash',
      '%PATH%',
    ];
    const { result, stdout } = await runCollect({ file: process.execPath, args: [printArgv, ...args], cwd });

    expect(result.cause).toBe('exit');
    expect(JSON.parse(stdout[0] ?? 'null')).toEqual(args);
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(marker2)).toBe(false);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('merges env into the inherited environment and runs in cwd', async () => {
    const cwd = fs.mkdtempSync(path.join(tmp, 'envcwd-'));
    const child = script('env.mjs', 'console.log(process.env.SPOOL_TEST_VAR, Boolean(process.env.PATH), process.cwd());');
    const { stdout } = await runCollect({ file: process.execPath, args: [child], env: { SPOOL_TEST_VAR: 'hello there' }, cwd });
    expect(stdout).toEqual([`hello there true ${fs.realpathSync(cwd)}`]);
  });

  it('fails to spawn with a readable reason', async () => {
    const missing = await runCollect({ file: path.join(tmp, 'no-such-dir', 'blender'), args: ['-b'] });
    expect(missing.result).toMatchObject({ cause: 'spawn-error', exitCode: null, signal: null });
    expect(missing.result.message).toBe(`executable not found: ${path.join(tmp, 'no-such-dir', 'blender')}`);

    const badCwd = await runCollect({ file: process.execPath, args: ['-e', ''], cwd: path.join(tmp, 'no-such-cwd') });
    expect(badCwd.result).toMatchObject({ cause: 'spawn-error', message: `working folder not found: ${path.join(tmp, 'no-such-cwd')}` });

    if (process.platform !== 'win32') {
      const notExecutable = script('not-executable.sh', '#!/bin/sh\necho hi\n');
      fs.chmodSync(notExecutable, 0o644);
      const denied = await runCollect({ file: notExecutable, args: [] });
      expect(denied.result).toMatchObject({ cause: 'spawn-error' });
      expect(denied.result.message).toMatch(/^not allowed to run .*not-executable\.sh/);
    }
  });

  it('ends with log-error and starts nothing when the log folder cannot be made', async () => {
    const blocker = script('a-file', 'not a folder');
    let spawned = false;
    const { result } = await runCollect({
      file: process.execPath,
      args: ['-e', ''],
      logPath: path.join(blocker, 'sub', 'attempt.log'),
      onSpawn: () => (spawned = true),
    });
    expect(spawned).toBe(false);
    expect(result.cause).toBe('log-error');
    expect(result.message).toMatch(new RegExp(`^could not write the log ${blocker}/sub/attempt\\.log: ENOTDIR: not a directory`));
  });

  it.skipIf(!fs.existsSync('/dev/full'))('kills the child when the log cannot be written (ENOSPC)', async () => {
    const ticker = script('ticker.mjs', 'setInterval(() => console.log("tick"), 10);');
    let pid = 0;
    const { result } = await runCollect({
      file: process.execPath,
      args: [ticker],
      logPath: '/dev/full',
      killGraceMs: 1000,
      onSpawn: (p) => (pid = p),
    });
    expect(result).toMatchObject({ cause: 'log-error', signal: 'SIGTERM', forceKilled: false });
    expect(result.message).toBe('could not write the log /dev/full: ENOSPC: no space left on device');
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('takes a flood of 200,000 lines into the log without losing one', async () => {
    let count = 0;
    let flood = 0;
    const started = performance.now();
    const log = logPath();
    const result = await supervise({
      file: process.execPath,
      args: [FAKE_DCC, '--frame', '1', '--out', path.join(tmp, 'flood', '#.png'), '--mode', 'flood', '--lines', '200000'],
      logPath: log,
      onLine: (line) => {
        count++;
        if (line.startsWith('flood ')) flood++;
      },
    }).result;
    const ms = performance.now() - started;
    console.log(`flood: 200,000 lines in ${Math.round(ms)} ms (${fs.statSync(log).size} bytes of log)`);

    expect(result).toMatchObject({ cause: 'exit', exitCode: 0 });
    expect(flood).toBe(200_000);
    const logText = fs.readFileSync(log, 'utf8');
    const logLines = logText.split('\n');
    expect(logLines.pop()).toBe('');
    expect(logLines).toHaveLength(count);
    expect(logLines[1]).toMatch(/^flood 00000000 x+ Mem/);
    expect(logLines[200_000]).toMatch(/^flood 00199999 /);
    expect(logLines.at(-1)).toBe('Blender quit');
  });
});
