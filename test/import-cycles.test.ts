import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles } from './helpers/import-cycles';

/**
 * Zero import cycles in Spool's own code. Only run-time imports count: `import type` and
 * `export type` are erased when compiled, so they are left out of the graph (see the helper).
 */
describe('import cycles', () => {
  it('there are none in src-main, src-preload and src-renderer', () => {
    const cycles = importCycles(process.cwd(), ['src-main', 'src-preload', 'src-renderer']);
    expect(cycles.map((files) => files.join(' ↔ '))).toEqual([]);
  });

  describe('the check bites', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-cycles-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    /** A fresh folder holding these files. */
    const fixture = (files: Record<string, string>): string => {
      const at = mkdtempSync(path.join(dir, 'case-'));
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(at, name), text);
      return at;
    };

    it('reports a two-file cycle, naming both files', () => {
      const at = fixture({
        'a.ts': "import { b } from './b';\nexport const a = () => b();\n",
        'b.ts': "import { a } from './a';\nexport const b = () => a;\n",
        'c.ts': "import { a } from './a';\nexport const c = a;\n",
      });
      expect(importCycles(at, ['.'])).toEqual([['a.ts', 'b.ts']]);
    });

    it('ignores imports and re-exports of types only, which the compiler erases', () => {
      const at = fixture({
        'a.ts': "import type { B } from './b';\nexport type A = { b: B };\nexport const one = 1;\n",
        'b.ts': "import { type A } from './a';\nexport type { A } from './a';\nexport type B = { a?: A };\n",
      });
      expect(importCycles(at, ['.'])).toEqual([]);
    });
  });
});
