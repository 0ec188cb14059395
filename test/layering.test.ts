import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layering rules of DESIGN.md are lint rules; these cases prove the rules bite. */
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering lint', () => {
  it('refuses electron in the engine', async () => {
    const messages = await ruleIds("import { app } from 'electron';\nexport const a = app;\n", 'src-main/engine/x.ts');
    expect(messages.join('\n')).toMatch(/no-restricted-imports: .*plain Node/);
  });

  it('refuses the engine importing its faces', async () => {
    const messages = await ruleIds("import { main } from '../cli/main';\nexport const a = main;\n", 'src-main/engine/x.ts');
    expect(messages.join('\n')).toMatch(/must not import its faces/);
  });

  it('refuses Node modules and the store in the renderer', async () => {
    for (const source of ["import fs from 'node:fs'", "import fs from 'fs'", "import Database from 'better-sqlite3'", "import { Store } from '../../src-main/engine/store'"]) {
      const messages = await ruleIds(`${source};\nexport const a = 1;\n`, 'src-renderer/src/x.ts');
      expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
    }
  });

  it('lets the renderer import the contract, domain types and the frame parser', async () => {
    const code = [
      "import type { Events } from '../../src-preload/contract';",
      "import type { JobSummary } from '../../src-main/engine/types';",
      "import { parseFrameSet } from '../../src-main/engine/frames';",
      'export type A = Events | JobSummary;',
      'export const p = parseFrameSet;',
    ].join('\n');
    expect(await ruleIds(`${code}\n`, 'src-renderer/src/x.ts')).toEqual([]);
  });

  it('forbids shells and string commands anywhere', async () => {
    const cases = [
      "import { spawn } from 'node:child_process';\nspawn('ls', [], { shell: true });\n",
      "import { exec } from 'node:child_process';\nexec('ls');\n",
      "import { execaCommand } from 'execa';\nexecaCommand('ls -l');\n",
    ];
    for (const code of cases) {
      const messages = await ruleIds(code, 'src-main/cli/x.ts');
      expect(messages.join('\n')).toMatch(/shell|String commands/);
    }
  });

  it('keeps the raw store handle out of the engine and its faces', async () => {
    const code = "import type { Store } from './store';\nexport const f = (s: Store) => s.rawHandleForTests().prepare('SELECT 1');\n";
    expect((await ruleIds(code, 'src-main/engine/x.ts')).join('\n')).toMatch(/rawHandleForTests is for tests/);
    expect(await ruleIds(code, 'src-main/engine/x.test.ts')).toEqual([]);
  });

  it('keeps the faces off the engine store', async () => {
    const code = "import type { Engine } from '../engine/engine';\nexport const f = (e: Engine) => e.store.jobs.get(1);\n";
    for (const face of ['cli', 'server', 'api', 'electron']) {
      expect((await ruleIds(code, `src-main/${face}/x.ts`)).join('\n'), face).toMatch(/never its store/);
    }
    expect(await ruleIds(code, 'src-main/engine/x.ts')).toEqual([]);
  });
});
