import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../helpers/fake-dcc';

/**
 * Electronegativity (Doyensec's Electron security scanner) over the Electron shell and the
 * preload. A high or medium finding fails the suite unless test/security/electronegativity-allow.json
 * explains it and names a file that proves the explanation; an allowed finding that is gone fails
 * too, so the list cannot outlive its reasons. Files it could not parse fail the suite: an unparsed
 * file is an unscanned one.
 */

interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  sample?: string;
}
interface Allowed {
  check: string;
  file: string;
  why: string;
  proof: { file: string; contains: string };
}

const require = createRequire(import.meta.url);
const SCANNER = path.join(REPO, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'runner.js');
const MEDIUM = 2;

function electronVersion(): string {
  const installed = path.join(REPO, 'node_modules', 'electron', 'package.json');
  if (existsSync(installed)) return (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version;
  const wanted = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
  return wanted.replace(/^[^\d]*/, '');
}

describe('Electronegativity over src-main/electron and src-preload', () => {
  it('finds nothing high or medium that the allow-list does not explain', async () => {
    // Shipped sources only: tests hold hostile strings on purpose.
    const input = tempDir('spool-electronegativity-');
    const shipped = (src: string) => !/\.test\.ts$/.test(src);
    cpSync(path.join(REPO, 'src-main', 'electron'), path.join(input, 'electron'), { recursive: true, filter: shipped });
    cpSync(path.join(REPO, 'src-preload'), path.join(input, 'preload'), { recursive: true, filter: shipped });

    const result = await scan(input);

    expect(result.errors.filter((e) => !e.tolerable)).toEqual([]);
    const allowList = (JSON.parse(readFileSync(path.join(REPO, 'test', 'security', 'electronegativity-allow.json'), 'utf8')) as { allow: Allowed[] }).allow;
    const serious = result.issues.filter((i) => i.severity.value >= MEDIUM);
    const report = (i: Issue) => `${i.id} (${i.severity.name}/${i.confidence.name}) ${i.file}:${i.location.line} ${(i.sample ?? '').slice(0, 100)}`;
    console.log(`Electronegativity: ${result.issues.length} findings, ${serious.length} high or medium:\n${serious.map(report).join('\n')}`);

    const unexplained = serious.filter((i) => !allowList.some((a) => a.check === i.id && a.file === i.file));
    expect(unexplained.map(report)).toEqual([]);
    const stale = allowList.filter((a) => !serious.some((i) => i.id === a.check && i.file === a.file));
    expect(stale.map((a) => `${a.check} in ${a.file} is no longer found: remove it from the allow-list`)).toEqual([]);
    for (const entry of allowList) {
      expect(entry.why.length, entry.check).toBeGreaterThan(40);
      expect(readFileSync(path.join(REPO, entry.proof.file), 'utf8'), `${entry.check}: ${entry.proof.file} should contain ${entry.proof.contains}`).toContain(entry.proof.contains);
    }
  }, 60_000);

  // The same scanner on a careless window: what Spool's code is clean of shows up here.
  it('bites: an unisolated, unsandboxed window with no navigation limit or permission handler is reported', async () => {
    const input = tempDir('spool-electronegativity-bad-');
    writeFileSync(
      path.join(input, 'bad.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    const ids = (await scan(input)).issues.filter((i) => i.severity.value >= MEDIUM).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']));
  }, 60_000);
});

async function scan(input: string): Promise<{ issues: Issue[]; errors: { file: string; message: string; tolerable: boolean }[] }> {
  const loaded = require(SCANNER) as { default?: (options: object) => Promise<{ issues: Issue[]; errors: { file: string; message: string; tolerable: boolean }[] }> };
  const run = loaded.default ?? (loaded as unknown as NonNullable<typeof loaded.default>);
  return run({
    input,
    isRelative: true,
    isSarif: false,
    isVerbose: false,
    customScan: [],
    // It asks GitHub for Electron's security releases: not a property of this code, and offline here.
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    electronVersionOverride: electronVersion(),
    parserPlugins: [],
  });
}
