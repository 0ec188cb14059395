import { describe, expect, it } from 'vitest';
import { detectionTable } from '../detect/detection-table';
import { NOT_SUPPORTED } from '../detect/not-supported';
import { allAdapters, dccRegistry, getAdapter } from './registry';

const PLATFORMS = ['win32', 'darwin', 'linux'] as const;

/** The registry is the one table of DCCs: these hold for any adapter added to it. */
describe('the DCC registry', () => {
  it('describes every adapter: a unique id and letter, a label, and extensions unless the scene is optional', () => {
    const ids = allAdapters().map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    const letters = allAdapters().map((a) => a.letter);
    expect(new Set(letters).size).toBe(letters.length);
    for (const adapter of allAdapters()) {
      expect(adapter.label.trim(), adapter.id).not.toBe('');
      expect([...adapter.letter], adapter.id).toHaveLength(1);
      if (!adapter.sceneOptional) expect(adapter.extensions.length, `${adapter.id} claims no scene extension`).toBeGreaterThan(0);
      for (const ext of adapter.extensions) expect(ext, adapter.id).toMatch(/^\.[a-z0-9]+$/);
    }
  });

  it('lets no two adapters claim one scene extension', () => {
    const claims = allAdapters().flatMap((a) => a.extensions);
    expect(new Set(claims).size).toBe(claims.length);
  });

  it('names an adapter in every detection location, unless the entry is marked not supported', () => {
    for (const platform of PLATFORMS) {
      for (const entry of detectionTable(platform)) {
        if (entry.supported) expect(getAdapter(entry.dcc), `${platform}: ${entry.dcc}`).not.toBeNull();
        else expect(NOT_SUPPORTED.map((p) => p.id), `${platform}: ${entry.dcc}`).toContain(entry.dcc);
        expect(entry.executables.length + (entry.detect.paths[platform]?.length ?? 0), `${platform}: ${entry.dcc} is found nowhere`).toBeGreaterThan(0);
      }
    }
    // A not-supported entry that gained an adapter would be found twice under one id.
    for (const program of NOT_SUPPORTED) expect(getAdapter(program.id), program.id).toBeNull();
  });

  it('keeps V-Ray and Redshift as renderers inside DCCs, never as DCCs', () => {
    for (const renderer of ['vray', 'redshift']) {
      expect(getAdapter(renderer)).toBeNull();
      const hosts = allAdapters().filter((a) => a.renderers?.includes(renderer)).map((a) => a.id);
      expect(hosts).toEqual(expect.arrayContaining(['maya', 'houdini-hython', 'cinema4d']));
    }
    // Only Maya's Render picks its renderer by a flag: there it is a job override.
    expect(getAdapter('maya')?.overrides).toContain('renderer');
  });

  it('answers the UI with every descriptor, the command template with all its tokens', () => {
    const registry = dccRegistry();
    expect(registry.map((d) => d.id)).toEqual(allAdapters().map((a) => a.id));
    expect(registry.find((d) => d.id === 'command')).toMatchObject({
      sceneOptional: true,
      tokens: ['scene', 'frame', 'start', 'end', 'step', 'output', 'threads'],
      overrides: ['template'],
    });
    expect(registry.find((d) => d.id === 'blender')).toEqual({
      id: 'blender',
      label: 'Blender',
      letter: 'B',
      extensions: ['.blend'],
      sceneOptional: false,
      overrides: ['camera', 'layer', 'samples', 'format'],
      tokens: [],
      renderers: [],
      detected: true,
    });
  });
});
