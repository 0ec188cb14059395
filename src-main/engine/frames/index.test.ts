import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as frames from './index';

describe('frames module', () => {
  it('exports exactly its API', () => {
    expect(Object.keys(frames).sort()).toEqual([
      'MAX_FRAMES',
      'chunkFrames',
      'describeFrameSet',
      'formatFrameSet',
      'isArithmetic',
      'medianFrameMs',
      'medianMs',
      'parseFrameSet',
    ]);
    expect(frames.MAX_FRAMES).toBe(1_000_000);
  });

  // The renderer bundles this module for live validation of the frame field.
  it('imports nothing but its own files, so the browser can load it', () => {
    const here = new URL('.', import.meta.url);
    const sources = readdirSync(here).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    expect(sources.sort()).toEqual(['chunk.ts', 'describe.ts', 'format.ts', 'frame-time.ts', 'index.ts', 'parse.ts']);
    for (const name of sources) {
      const text = readFileSync(new URL(name, here), 'utf8');
      for (const [, specifier] of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
        expect(specifier, `${name} imports ${specifier}`).toMatch(/^\.\/[a-z-]+$/);
      }
    }
  });
});
