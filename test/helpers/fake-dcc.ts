import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_DCC = fileURLToPath(new URL('../fixtures/fake-dcc.mjs', import.meta.url));
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(REPO, 'out', 'node', 'spool.mjs');

export function tempDir(prefix = 'spool-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A generic-command template that runs the fake renderer over a chunk. */
export function fakeTemplate(extra = ''): string {
  return `${quote(process.execPath)} ${quote(FAKE_DCC)} --start {start} --end {end} --out {output} ${extra}`.trim();
}

/** Per-frame template: one process per frame. */
export function fakeFrameTemplate(extra = ''): string {
  return `${quote(process.execPath)} ${quote(FAKE_DCC)} --frame {frame} --out {output} ${extra}`.trim();
}

export function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How many times the fake DCC finished each frame (its --counter file). */
export function renderCounts(counterFile: string): Map<number, number> {
  const counts = new Map<number, number>();
  let text = '';
  try {
    text = readFileSync(counterFile, 'utf8');
  } catch {
    return counts;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const frame = Number(line);
    counts.set(frame, (counts.get(frame) ?? 0) + 1);
  }
  return counts;
}
