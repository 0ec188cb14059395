import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * "No shell, ever" is a lint rule (eslint.config.js); test/layering.test.ts proves its first cases.
 * These are the holes it had: a shell option that is not the literal `true`, child_process reached
 * without naming exec, and a shell run as the program itself.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function messages(code: string, filePath = 'src-main/engine/x.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const refused = [
  ["spawn(cmd, args, { shell: 'bash' })", "import { spawn } from 'node:child_process';\nexport const f = (cmd: string, args: string[]) => spawn(cmd, args, { shell: 'bash' });\n"],
  ['execFileSync with shell: a variable', "import { execFileSync } from 'node:child_process';\nexport const f = (useShell: boolean) => execFileSync('ls', [], { shell: useShell });\n"],
  ['the shorthand { shell }', "import { spawnSync } from 'node:child_process';\nexport const f = (shell: string) => spawnSync('ls', [], { shell });\n"],
  ["a quoted key { 'shell': true }", "import { spawn } from 'node:child_process';\nexport const f = () => spawn('ls', [], { 'shell': true });\n"],
  ['execa with shell: true', "import { execa } from 'execa';\nexport const f = () => execa('ls', ['-l'], { shell: true });\n"],
  ['a namespace import reaching exec', "import * as cp from 'node:child_process';\nexport const f = (cmd: string) => cp.exec(cmd);\n"],
  ['a default import reaching execSync', "import cp from 'child_process';\nexport const f = (cmd: string) => cp.execSync(cmd);\n"],
  ["require('child_process').exec", "export const f = (cmd: string) => require('child_process').exec(cmd);\n"],
  ["import('node:child_process')", "export const f = async (cmd: string) => (await import('node:child_process')).exec(cmd);\n"],
  ["spawn('sh', ['-c', cmd])", "import { spawn } from 'node:child_process';\nexport const f = (cmd: string) => spawn('sh', ['-c', cmd]);\n"],
  ["execa('/bin/bash', ['-lc', cmd])", "import { execa } from 'execa';\nexport const f = (cmd: string) => execa('/bin/bash', ['-lc', cmd]);\n"],
  ["execFile('cmd.exe', ['/c', cmd])", "import { execFile } from 'node:child_process';\nexport const f = (cmd: string) => execFile('cmd.exe', ['/c', cmd]);\n"],
  ["spawnSync('powershell', ['-Command', cmd])", "import { spawnSync } from 'node:child_process';\nexport const f = (cmd: string) => spawnSync('powershell', ['-Command', cmd]);\n"],
] as const;

const allowed = [
  ['an argv array', "import { spawn } from 'node:child_process';\nexport const f = (file: string, args: string[]) => spawn(file, args, { stdio: 'ignore' });\n"],
  ['shell: false said out loud', "import { execFileSync } from 'node:child_process';\nexport const f = () => execFileSync('ls', ['-l'], { shell: false });\n"],
  ["python's -c is not a shell", "import { execa } from 'execa';\nexport const f = (code: string) => execa('python3', ['-c', code]);\n"],
  ["a program named like a shell's suffix (ssh) with -c", "import { execa } from 'execa';\nexport const f = (cipher: string) => execa('ssh', ['-c', cipher, 'host']);\n"],
  ['a `shell` field that is not an option', "export const view = { shell: false, title: 'Spool' };\nexport const other = { shellPath: '/bin/sh' };\n"],
] as const;

describe('lint: no shell, ever', () => {
  for (const [what, code] of refused) {
    it(`refuses ${what}`, async () => {
      expect((await messages(code)).join('\n')).toMatch(/shell|child_process functions by name|exec runs a shell/);
    });
  }

  for (const [what, code] of allowed) {
    it(`allows ${what}`, async () => {
      expect(await messages(code)).toEqual([]);
    });
  }

  it('applies outside the engine too (CLI, server, tests), and lets only benchmarks run a shell program', async () => {
    const shellProgram = "import { spawnSync } from 'node:child_process';\nexport const f = () => spawnSync('sh', ['-c', 'seq 10 | xargs -P2 -n1 true']);\n";
    for (const file of ['src-main/cli/x.ts', 'src-main/server/x.ts', 'src-main/electron/x.ts', 'test/x.test.ts', 'scripts/x.mjs']) {
      expect((await messages(shellProgram, file)).length, file).toBeGreaterThan(0);
    }
    expect(await messages(shellProgram, 'bench/x.ts')).toEqual([]);
    const shellOption = "import { spawn } from 'node:child_process';\nexport const f = () => spawn('ls', [], { shell: true });\n";
    expect((await messages(shellOption, 'bench/x.ts')).length).toBeGreaterThan(0);
  });
});
